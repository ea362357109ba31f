import type { FastifyPluginAsync } from 'fastify'
import factsSchema from '../facts/facts.schema.json' with { type: 'json' }
import imageFactsSchema from '../facts/image-facts.schema.json' with { type: 'json' }
import { policySchema } from '../policy/schema.js'

/** The published JSON Schemas: what policies can read, and how a policy file is written. */
export const schemaRoutes: FastifyPluginAsync = async (app) => {
  app.get('/v1/schema/facts', async (_request, reply) => reply.type('application/schema+json').send(factsSchema))
  app.get('/v1/schema/image-facts', async (_request, reply) => reply.type('application/schema+json').send(imageFactsSchema))
  app.get('/v1/schema/policy', async (_request, reply) => reply.type('application/schema+json').send(policySchema))
}
