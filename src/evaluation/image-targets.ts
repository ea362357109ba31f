import type { ImageFacts } from '../facts/image-types.js'
import type { DockerfileFacts } from '../facts/types.js'
import type { Rule } from '../policy/types.js'
import { guarded, type SharedTargets, type Target } from './targets.js'

/**
 * An image rule's targets. Every scope sees `image`, `builtFrom` (the Dockerfile sent with the image, or
 * null) and `params`; the history scopes also see the history read back as a Dockerfile (`dockerfile`,
 * `stage`, `instruction`, `command`) and the history entry (`step`), so a Dockerfile rule's expressions run on
 * it unchanged. They judge the image's own steps, and the base image's too with `includeBase`.
 */
export function imageTargets (rule: Rule, image: ImageFacts, builtFrom: DockerfileFacts | null, shared: SharedTargets): Target[] {
  const base = { image, builtFrom, params: rule.params }
  switch (rule.scope) {
    case 'image':
      return [{ variables: base, location: at({}) }]
    case 'image-layer':
      return image.layers.map((layer) => ({ variables: { image, builtFrom, params: rule.params, layer }, location: at({ layer: layer.index }) }))
    case 'image-file':
      return image.files.map((file) => ({ variables: { image, builtFrom, params: rule.params, file }, location: at({ path: file.path, layer: file.layer }) }))
    case 'image-history':
    case 'image-command': {
      const dockerfile = image.historyDockerfile
      const stage = dockerfile.stages[0] ?? null
      const steps = new Map(image.history.flatMap((entry) => entry.instruction === null || (entry.fromBase && !rule.includeBase) ? [] : [[entry.instruction, entry] as const]))
      return shared.instructionsOf(rule).flatMap(({ instruction, at: written }) => {
        // Not a step of its own: the `FROM scratch` that heads the read-back history, or a base image's step.
        const step = steps.get(written)
        if (step === undefined) return []
        const history = step.index
        const variables = { image, builtFrom, params: rule.params, dockerfile, stage, instruction, step }
        if (rule.scope === 'image-history') return [{ variables, location: at({ history }) }]
        return guarded(rule, instruction.commands).map((command) => ({ variables: { image, builtFrom, params: rule.params, dockerfile, stage, instruction, step, command }, location: at({ history }) }))
      })
    }
    default:
      return []
  }
}

const at = (image: { history?: number, layer?: number, path?: string }): Target['location'] => ({ line: 0, endLine: 0, image })
