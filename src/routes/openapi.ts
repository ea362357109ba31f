import type { FastifyPluginAsync } from 'fastify'
import { openApiDocument, openApiText } from '../openapi.js'

export const openApiRoutes: FastifyPluginAsync = async (app) => {
  app.get('/openapi.yaml', async (_request, reply) => reply.type('application/yaml').send(openApiText))
  app.get('/openapi.json', async () => openApiDocument)
}
