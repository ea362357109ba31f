import type { FastifyPluginAsync } from 'fastify'
import factsSchema from '../facts/facts.schema.json' with { type: 'json' }

/** The published JSON Schemas. */
export const schemaRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/schema/facts', async (_request, reply) => reply.type('application/schema+json').send(factsSchema))
}
