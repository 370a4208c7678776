import * as path from 'path';
import type { FileSystem } from '../fs/fileSystem';
import { resolveVmPath, PathContext } from '../paths/pathResolution';

/**
 * The environment the agent's scripts get: the guest agent is a systemd service, whose children
 * inherit systemd's default PATH and nothing of a login shell (no HOME, TERM, LANG, no profile).
 */
export const AGENT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function agentEnvironment(): Record<string, string> {
  return { PATH: AGENT_PATH };
}

/** Where the agent keeps its versioned extension folders, which are its working directory. */
export const AGENT_EXTENSIONS_VM_FOLDER = '/var/lib/waagent';
const EXTENSION_FOLDER_PREFIX = 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux-';

function compareVersions(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const difference = (left[index] || 0) - (right[index] || 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The agent runs the scripts from its extension folder (the newest version installed), which
 * is where a relative path in a script resolves. Without one (not an Azure VM, or a --root copy
 * without it) the scripts run from `/`, where a relative path fails as it would on the VM.
 */
export function agentWorkingDirectory(context: PathContext, fileSystem: FileSystem, listFolder: (folder: string) => string[]): { local: string; vm: string | undefined } {
  const root = resolveVmPath('/', context) ?? '/';
  const extensions = resolveVmPath(AGENT_EXTENSIONS_VM_FOLDER, context);
  if (extensions && fileSystem.stat(extensions)?.kind === 'directory') {
    const versions = listFolder(extensions)
      .filter((name) => name.startsWith(EXTENSION_FOLDER_PREFIX) && fileSystem.stat(path.join(extensions, name))?.kind === 'directory')
      .map((name) => name.slice(EXTENSION_FOLDER_PREFIX.length))
      .sort(compareVersions);
    const newest = versions[versions.length - 1];
    if (newest !== undefined) {
      const name = `${EXTENSION_FOLDER_PREFIX}${newest}`;
      return { local: path.join(extensions, name), vm: path.posix.join(AGENT_EXTENSIONS_VM_FOLDER, name) };
    }
  }
  return { local: root, vm: undefined };
}
