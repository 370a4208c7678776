import * as path from 'path';
import { CONFIG_VM_PATH } from '../codes';

/**
 * How VM paths in the config map to files this process can see.
 * - `vm`: this is the VM; paths are used as they are.
 * - `root`: a folder stands for the VM's `/` (a mounted disk, a chroot, `--root`).
 * - `workspace`: a copy in a repository, found as `<X>/etc/azure/…`; `<X>` stands for `/`.
 * - `none`: no way to know where the VM's files are.
 */
export type PathContextKind = 'vm' | 'root' | 'workspace' | 'none';

export interface PathContext {
  kind: PathContextKind;
  /** Local folder standing for the VM's `/`. */
  root?: string;
}

export function inferPathContext(configPath: string | undefined, explicitRoot: string | undefined): PathContext {
  if (explicitRoot) {
    const root = path.resolve(explicitRoot);
    return { kind: root === '/' ? 'vm' : 'root', root };
  }
  if (!configPath) return { kind: 'none' };
  const absolute = path.resolve(configPath);
  if (absolute === CONFIG_VM_PATH) return { kind: 'vm', root: '/' };
  if (absolute.endsWith(CONFIG_VM_PATH)) return { kind: 'workspace', root: absolute.slice(0, -CONFIG_VM_PATH.length) || '/' };
  return { kind: 'none' };
}

/** The local path of a VM path, or undefined when it cannot be known. */
export function resolveVmPath(vmPath: string, context: PathContext): string | undefined {
  if (!context.root || !vmPath.startsWith('/')) return undefined;
  return context.root === '/' ? path.normalize(vmPath) : path.join(context.root, vmPath);
}

/** True where modes and owners are the real ones the agent will see: git keeps neither. */
export function hasRealModes(context: PathContext): boolean {
  return context.kind === 'vm' || context.kind === 'root';
}
