// A multipart/form-data upload, as `curl -F dockerfile=@Dockerfile -F .dockerignore=@.dockerignore` sends it: the
// `dockerfile` part is the Dockerfile (its file name the report's path), every other file part a build-context
// file under its field name, and plain fields the options of the JSON body.
import type { FastifyRequest } from 'fastify'
import type {} from '@fastify/multipart'
import type { Problem, Result } from '../problem.js'
import { failed, ok } from '../problem.js'
import { SEVERITIES } from '../policy/types.js'

/** The fields a multipart upload can carry besides files; lists are comma-separated, as in the query string. */
const LIST_FIELDS = ['policies', 'include', 'exclude'] as const
const TEXT_FIELDS = ['profile', 'failOn', 'path'] as const

export interface MultipartBody {
  dockerfile?: string
  files?: Record<string, string>
  path?: string
  policies?: string[]
  include?: string[]
  exclude?: string[]
  profile?: string
  failOn?: string
}

/**
 * Reads every part; files are held in memory, each under `fileLimit` bytes (a 413 from the plugin beyond it). A body
 * that is not multipart as declared (no boundary, a part that never ends) is a problem, not an error.
 */
export async function readMultipart (request: FastifyRequest, fileLimit: number): Promise<Result<MultipartBody>> {
  try {
    return await readParts(request, fileLimit)
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== undefined) throw error
    return failed([{ code: 'input.multipart', message: `the multipart/form-data body could not be read: ${(error as Error).message}` }])
  }
}

async function readParts (request: FastifyRequest, fileLimit: number): Promise<Result<MultipartBody>> {
  const body: MultipartBody = {}
  const files: Record<string, string> = {}
  const problems: Problem[] = []
  let fileName = ''
  for await (const part of request.parts({ limits: { fileSize: fileLimit, files: 100, fields: 20 } })) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer()
      // A form's file input left empty (Swagger UI's, a browser's) comes as a nameless empty file: nothing was sent.
      if (part.filename === '' && bytes.length === 0) continue
      if (part.fieldname === 'dockerfile') {
        body.dockerfile = bytes.toString('utf8')
        fileName = part.filename
      } else {
        files[part.fieldname] = bytes.toString('utf8')
      }
      continue
    }
    const value = String(part.value)
    const name = part.fieldname
    if (name === 'dockerfile') body.dockerfile = value
    else if ((LIST_FIELDS as readonly string[]).includes(name)) body[name as typeof LIST_FIELDS[number]] = value.split(',').map((v) => v.trim()).filter((v) => v !== '')
    else if ((TEXT_FIELDS as readonly string[]).includes(name)) body[name as typeof TEXT_FIELDS[number]] = value
    else problems.push({ code: 'input.unknown-field', message: `unknown form field "${name}": send files with -F name=@file, and only ${['dockerfile', ...LIST_FIELDS, ...TEXT_FIELDS].join(', ')} as plain fields`, pointer: `/${name}` })
  }
  const thresholds = [...SEVERITIES, 'none']
  if (body.failOn !== undefined && !thresholds.includes(body.failOn)) problems.push({ code: 'input.invalid', message: `form field failOn must be one of ${thresholds.join(', ')}, got "${body.failOn}"`, pointer: '/failOn' })
  if (problems.length > 0) return failed(problems)
  if (Object.keys(files).length > 0) body.files = files
  // A `path` field names the file whatever the order of the parts; else the uploaded file's name does.
  if (body.path === undefined && fileName !== '') body.path = fileName
  return ok(body)
}
