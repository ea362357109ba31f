// What an image's final filesystem holds that rules ask about: shells and package managers. A path counts
// when it leads, through symlinks and hardlinks, to a regular file: `/bin/sh -> busybox` counts when busybox is
// there, and on a merged-/usr system (`/bin -> usr/bin`) /bin/sh is found through the directory link.
import type { ImageFile } from '../../facts/image-types.js'

const SHELL_NAMES = ['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh', 'mksh', 'busybox']
const SHELL_PATHS = ['/bin', '/usr/bin'].flatMap((dir) => SHELL_NAMES.map((name) => `${dir}/${name}`))
const PACKAGE_MANAGERS = ['apk', 'apt', 'apt-get', 'dnf', 'dpkg', 'gem', 'microdnf', 'npm', 'pacman', 'pip', 'pip3', 'pnpm', 'rpm', 'tdnf', 'yarn', 'yum', 'zypper']
const BIN_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']
/** Versioned pips (`pip3.12`) are found by name in the bin directories. */
const VERSIONED_PIP = /^\/(?:usr\/(?:local\/)?)?s?bin\/(pip\d+(?:\.\d+)?)$/
const MAX_LINKS = 40

/** Shells present, by path (/bin/sh, /bin/bash, /bin/busybox…). */
export function shellsIn (files: readonly ImageFile[]): string[] {
  const exists = existence(files)
  return SHELL_PATHS.filter(exists)
}

/** Package managers present in the usual bin directories, by tool name, sorted. */
export function packageManagersIn (files: readonly ImageFile[]): string[] {
  const exists = existence(files)
  const named = PACKAGE_MANAGERS.filter((name) => BIN_DIRS.some((dir) => exists(`${dir}/${name}`)))
  const pips = files.flatMap((file) => VERSIONED_PIP.exec(file.path)?.[1] ?? []).filter((name) => BIN_DIRS.some((dir) => exists(`${dir}/${name}`)))
  return [...new Set([...named, ...pips])].sort()
}

// Whether a path resolves to a regular file, following links component by component as the kernel does.
function existence (files: readonly ImageFile[]): (path: string) => boolean {
  const byPath = new Map(files.map((file) => [file.path, file]))
  const resolve = (path: string): ImageFile | undefined => {
    let pending = path.split('/')
    let done: string[] = []
    for (let links = 0; pending.length > 0;) {
      const name = pending.shift() as string
      if (name === '' || name === '.') continue
      if (name === '..') {
        done.pop()
        continue
      }
      const entry = byPath.get(`/${[...done, name].join('/')}`)
      const last = pending.length === 0
      const link = entry?.type === 'symlink' || (entry?.type === 'hardlink' && last)
      if (link && ++links > MAX_LINKS) return undefined
      if (entry?.type === 'symlink') {
        // A relative target is read from the link's directory; an absolute one from the root.
        if (entry.linkTarget.startsWith('/')) done = []
        pending = [...entry.linkTarget.split('/'), ...pending]
      } else if (entry?.type === 'hardlink' && last) {
        // A hardlink's target is a path from the root of the image.
        done = []
        pending = entry.linkTarget.split('/')
      } else if (last) {
        return entry
      } else {
        // A directory the listing leaves out is still a directory on the way.
        done.push(name)
      }
    }
    return undefined
  }
  return (path) => resolve(path)?.type === 'file'
}
