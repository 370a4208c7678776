import * as fs from 'fs';
import { URI } from 'vscode-uri';
import { agentScriptConfig, isAgentScriptConfig } from '../engine/agentFiles/configPath';
import { isDenied, nodeFileSystem } from '../engine/fs/fileSystem';
import type { VmOwnConfigParams, VmOwnConfigResult } from '../protocol';

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Answers `vmsnapshot/vmOwnConfig`: is this file the config the agent on this machine reads? The
 * client shows "Rehearse" only then, and refuses any other config (a workspace copy names scripts
 * the agent does not run). The server runs where the extension host runs: over Remote-SSH, on the VM.
 */
export function vmOwnConfig(params: VmOwnConfigParams): VmOwnConfigResult {
  const agentConfig = agentScriptConfig(nodeFileSystem).localPath;
  const info = nodeFileSystem.stat(agentConfig);
  const uri = params.uri === undefined ? undefined : URI.parse(params.uri);
  return {
    vmOwn: uri?.scheme === 'file' && isAgentScriptConfig(uri.fsPath, nodeFileSystem, realPath),
    agentConfig,
    // Root's file, mode 600: a server that may not read it still knows it is there.
    agentConfigExists: isDenied(info) || info?.kind === 'file',
  };
}
