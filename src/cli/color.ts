import type { Output } from './io.js'

/**
 * Whether to colour what goes to `stream`. FORCE_COLOR forces colours and wins over NO_COLOR, as in Node's
 * own `tty.getColorDepth()`; NO_COLOR turns them off when set to anything but "" (no-color.org); otherwise
 * only a TTY that is not `TERM=dumb` gets them.
 */
export function wantsColor (env: Readonly<Record<string, string | undefined>>, stream: Output): boolean {
  const force = env.FORCE_COLOR
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase())
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream.isTTY === true && env.TERM !== 'dumb'
}
