import * as path from 'path';
import { isDenied, type FileSystem } from '../fs/fileSystem';
import { PathContext, resolveVmPath } from './pathResolution';

/** Where the guest agent unpacks the backup extension: the agent's working directory. */
export const WAAGENT_VM_FOLDER = '/var/lib/waagent';
const EXTENSION_FOLDER_PREFIX = 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux-';

export interface ExtensionFolder {
  vmPath: string;
  localPath: string;
}

/** Compares dotted versions number by number, so 1.0.10 comes after 1.0.9. */
function compareVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

/**
 * The newest installed extension folder under the VM tree, when the tree has one. Only trees that
 * stand for a whole VM (the VM itself, `--root`, an `<X>/etc/azure` copy) can show it.
 */
export function findExtensionFolder(fileSystem: FileSystem, context: PathContext): ExtensionFolder | undefined {
  if (context.kind !== 'vm' && context.kind !== 'root' && context.kind !== 'workspace') return undefined;
  const parent = resolveVmPath(WAAGENT_VM_FOLDER, context);
  const names = parent ? fileSystem.readDirectory(parent) : undefined;
  if (!parent || !Array.isArray(names)) return undefined;
  const versions = names.filter((name) => name.startsWith(EXTENSION_FOLDER_PREFIX)).sort((a, b) => compareVersions(a.slice(EXTENSION_FOLDER_PREFIX.length), b.slice(EXTENSION_FOLDER_PREFIX.length)));
  for (const name of versions.reverse()) {
    const localPath = path.join(parent, name);
    const info = fileSystem.stat(localPath);
    if (info && !isDenied(info) && info.kind === 'directory') return { vmPath: path.posix.join(WAAGENT_VM_FOLDER, name), localPath };
  }
  return undefined;
}
