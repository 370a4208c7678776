import * as path from 'path';
import { readAgentFiles } from '../engine/agentFiles/etcAzure';
import { vmFilesFrom } from '../engine/agentFiles/vmFiles';
import { CONFIG_VM_PATH } from '../engine/codes';
import { isDenied, nodeFileSystem } from '../engine/fs/fileSystem';
import type { PathContext } from '../engine/paths/pathResolution';

/**
 * The config the agent reads: the one plugin 0 of the host conf names (normally
 * /etc/azure/VMSnapshotScriptPluginConfig.json). When that is another file, /etc/azure's config,
 * if there is one, is checked too, to say that the agent does not use it.
 */
export function agentConfigPaths(root: string | undefined): string[] {
  const resolvedRoot = root ? path.resolve(root) : '/';
  const context: PathContext = { kind: resolvedRoot === '/' ? 'vm' : 'root', root: resolvedRoot };
  const local = (vmPath: string) => (resolvedRoot === '/' ? vmPath : path.join(resolvedRoot, vmPath));
  const named = readAgentFiles(vmFilesFrom(nodeFileSystem, context), { checkModes: false }).scriptConfigVmPath;
  if (!named.startsWith('/') || path.posix.normalize(named) === CONFIG_VM_PATH) return [local(CONFIG_VM_PATH)];
  const defaultConfig = local(CONFIG_VM_PATH);
  const info = nodeFileSystem.stat(defaultConfig);
  return info && !isDenied(info) && info.kind === 'file' ? [local(path.posix.normalize(named)), defaultConfig] : [local(path.posix.normalize(named))];
}
