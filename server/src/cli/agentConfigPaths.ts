import * as path from 'path';
import { agentScriptConfig } from '../engine/agentFiles/configPath';
import { CONFIG_VM_PATH } from '../engine/codes';
import { isDenied, nodeFileSystem } from '../engine/fs/fileSystem';

/**
 * The config the agent reads: the one plugin 0 of the host conf names (normally
 * /etc/azure/VMSnapshotScriptPluginConfig.json). When that is another file, /etc/azure's config,
 * if there is one, is checked too, to say that the agent does not use it.
 */
export function agentConfigPaths(root: string | undefined): string[] {
  const resolvedRoot = root ? path.resolve(root) : '/';
  const agents = agentScriptConfig(nodeFileSystem, resolvedRoot);
  if (agents.vmPath === CONFIG_VM_PATH) return [agents.localPath];
  const defaultConfig = resolvedRoot === '/' ? CONFIG_VM_PATH : path.join(resolvedRoot, CONFIG_VM_PATH);
  const info = nodeFileSystem.stat(defaultConfig);
  return info && !isDenied(info) && info.kind === 'file' ? [agents.localPath, defaultConfig] : [agents.localPath];
}
