import * as path from 'path';
import { CONFIG_VM_PATH } from '../codes';
import * as l10n from '@vscode/l10n';

/**
 * How VM paths in the config map to files this process can see.
 * - `vm`: this is the VM; paths are used as they are.
 * - `root`: a folder stands for the VM's `/` (a mounted disk, a chroot, `--root`).
 * - `workspace`: a copy in a repository, found as `<X>/etc/azure/…`; `<X>` stands for `/`.
 * - `mapped`: the user's path mappings (VM folder → local folder).
 * - `sibling`: nothing else applies; scripts are looked for by file name next to the config.
 * - `none`: no way to know where the VM's files are.
 */
export type PathContextKind = 'vm' | 'root' | 'workspace' | 'mapped' | 'sibling' | 'none';

export interface PathMapping {
  vmPrefix: string;
  localFolder: string;
}

export interface PathContext {
  kind: PathContextKind;
  /** Local folder standing for the VM's `/` (vm, root, workspace). */
  root?: string;
  /** Longest prefix first (mapped). */
  mappings?: PathMapping[];
  /** The config's own folder (sibling). */
  folder?: string;
}

function normalizeMappings(mappings: Record<string, string>): PathMapping[] {
  return Object.entries(mappings)
    .filter(([vmPrefix, localFolder]) => vmPrefix.startsWith('/') && localFolder)
    .map(([vmPrefix, localFolder]) => ({ vmPrefix: path.posix.normalize(vmPrefix).replace(/\/$/, '') || '/', localFolder: path.resolve(localFolder) }))
    .sort((a, b) => b.vmPrefix.length - a.vmPrefix.length);
}

export function inferPathContext(configPath: string | undefined, explicitRoot: string | undefined, mappings: Record<string, string> = {}): PathContext {
  if (explicitRoot) {
    const root = path.resolve(explicitRoot);
    return { kind: root === '/' ? 'vm' : 'root', root };
  }
  if (!configPath) return { kind: 'none' };
  const absolute = path.resolve(configPath);
  if (absolute === CONFIG_VM_PATH) return { kind: 'vm', root: '/' };
  if (absolute.endsWith(CONFIG_VM_PATH)) return { kind: 'workspace', root: absolute.slice(0, -CONFIG_VM_PATH.length) || '/' };
  const normalized = normalizeMappings(mappings);
  if (normalized.length > 0) return { kind: 'mapped', mappings: normalized };
  return { kind: 'sibling', folder: path.dirname(absolute) };
}

/** The local path of a VM path, or undefined when it cannot be known. */
export function resolveVmPath(vmPath: string, context: PathContext): string | undefined {
  if (!vmPath.startsWith('/')) return undefined;
  switch (context.kind) {
    case 'vm':
    case 'root':
    case 'workspace':
      return context.root === '/' ? path.normalize(vmPath) : path.join(context.root!, vmPath);
    case 'mapped': {
      const normalized = path.posix.normalize(vmPath);
      const mapping = context.mappings!.find((candidate) => candidate.vmPrefix === '/' || normalized === candidate.vmPrefix || normalized.startsWith(`${candidate.vmPrefix}/`));
      return mapping && path.join(mapping.localFolder, normalized.slice(mapping.vmPrefix === '/' ? 0 : mapping.vmPrefix.length));
    }
    case 'sibling':
      return path.join(context.folder!, path.posix.basename(vmPath));
    case 'none':
      return undefined;
  }
}

/** Says in words how a VM path was resolved, for hovers and "not found" messages. */
export function describeResolution(context: PathContext): string {
  switch (context.kind) {
    case 'vm':
      return l10n.t('on this VM, as the agent will');
    case 'root':
      return l10n.t('under {0}, which stands for the VM\'s /', context.root!);
    case 'workspace':
      return l10n.t('in the workspace copy, where {0} stands for the VM\'s /', context.root!);
    case 'mapped':
      return l10n.t('through the path mappings setting');
    case 'sibling':
      return l10n.t('by file name, next to the config');
    case 'none':
      return l10n.t('nowhere: the VM\'s files are not reachable from here');
  }
}

/** True where modes and owners are the real ones the agent will see: git keeps neither. */
export function hasRealModes(context: PathContext): boolean {
  return context.kind === 'vm' || context.kind === 'root';
}
