import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { agentCodeInfo, agentFailure, PredictedFailure } from '../agentFailures';
import { cannotReadAsThisUser } from '../checks/accessDenied';
import { CONFIG_VM_PATH, DiagnosticCode, HOST_CONF_VM_PATH } from '../codes';
import type { AgentOutcome } from '../outcome';
import type { FileSystem } from '../fs/fileSystem';
import { PathContext, resolveVmPath } from '../paths/pathResolution';
import type { EngineContext } from '../service/context';
import type { EngineDiagnostic } from '../types';
import { AgentFilesView, readAgentFiles } from './etcAzure';
import { readMountTable, vmFilesFrom } from './vmFiles';

/** The VM path a local config stands for, where its place in a VM tree is known. */
export function configVmPathOf(configPath: string | undefined, context: PathContext): string {
  if (!configPath || !context.root) return CONFIG_VM_PATH;
  const absolute = path.resolve(configPath);
  if (context.root === '/') return absolute;
  return absolute.startsWith(`${context.root}/`) ? absolute.slice(context.root.length) : CONFIG_VM_PATH;
}

/**
 * The script config the agent reads on the machine (or VM tree) at `root`: the one plugin 0 of
 * the host conf names, normally /etc/azure/VMSnapshotScriptPluginConfig.json. `vmPath` is the
 * agent's path, `localPath` where this process finds it.
 */
export function agentScriptConfig(fileSystem: FileSystem, root = '/'): { vmPath: string; localPath: string } {
  const resolvedRoot = path.resolve(root);
  const context: PathContext = { kind: resolvedRoot === '/' ? 'vm' : 'root', root: resolvedRoot };
  const named = readAgentFiles(vmFilesFrom(fileSystem, context), { checkModes: false }).scriptConfigVmPath;
  // A relative path resolves against the agent's working directory: not a file anyone edits.
  const vmPath = named.startsWith('/') ? path.posix.normalize(named) : CONFIG_VM_PATH;
  return { vmPath, localPath: resolveVmPath(vmPath, context)! };
}

/**
 * Whether `localPath` is the very file the agent on this machine reads (through any symlink on
 * either side): the only config whose scripts `rehearse` may run from the editor. A copy of it in
 * a workspace names scripts that are not the ones the agent runs.
 */
export function isAgentScriptConfig(localPath: string, fileSystem: FileSystem, realPath: (file: string) => string | undefined, root = '/'): boolean {
  const theirs = realPath(agentScriptConfig(fileSystem, root).localPath);
  return theirs !== undefined && realPath(localPath) === theirs;
}

export interface AgentFilesForConfig {
  view?: AgentFilesView;
  /** The cap the host conf the agent uses puts on script timeouts. */
  hostCapSeconds: number;
  /** 304/313/314 from the host conf, on the script path only. */
  failures: PredictedFailure[];
  /** Findings about workload.conf, the host conf and vmbackup.conf, each with its `file`. */
  diagnostics: EngineDiagnostic[];
  /** Local paths of the INI files judged, to be published (and cleared) even without findings. */
  judged: Array<{ path: string; kind: 'hostConf' | 'workloadConf' | 'other' }>;
  /** Said on the config itself when the agent does not use it. */
  notUsed?: EngineDiagnostic;
}

const HOST_FAILURES = { 304: 'hostConfParse', 313: 'hostConfNotFound', 314: 'hostConfPermission' } as const;

/**
 * What /etc/azure's other files decide for this config: whether the agent uses it at all (the
 * workload path, or a host conf naming another config), the cap, and the host conf's failures.
 * Judged once per view of the disk (`fileSystem.generation`): it does not depend on the config's
 * text, and typing re-analyses the config on every keystroke. Callers do not change the result.
 */
export function judgeAgentFiles(ctx: EngineContext, context: PathContext, checkModes: boolean, configVmPath: string): AgentFilesForConfig {
  const generation = ctx.fileSystem.generation;
  if (!generation) return judgeAgentFilesNow(ctx, context, checkModes, configVmPath);
  let judged = ctx.agentFilesByGeneration.get(generation);
  if (!judged) ctx.agentFilesByGeneration.set(generation, (judged = new Map()));
  const key = JSON.stringify([context, checkModes, configVmPath]);
  let result = judged.get(key);
  if (!result) judged.set(key, (result = judgeAgentFilesNow(ctx, context, checkModes, configVmPath)));
  return result;
}

function judgeAgentFilesNow(ctx: EngineContext, context: PathContext, checkModes: boolean, configVmPath: string): AgentFilesForConfig {
  if (context.kind === 'none' || context.kind === 'sibling') return { hostCapSeconds: 1800, failures: [], diagnostics: [], judged: [] };
  const files = vmFilesFrom(ctx.fileSystem, context, undefined, ctx.iniTexts);
  const view = readAgentFiles(files, { checkModes, mountTable: readMountTable(ctx.fileSystem, context) });
  const result: AgentFilesForConfig = { view, hostCapSeconds: view.hostConf.prediction.timeoutCapSeconds, failures: [], diagnostics: [...view.diagnostics], judged: [] };
  for (const [local, kind] of [[view.workload.localPath, 'workloadConf'], [view.hostConf.localPath, 'hostConf'], [view.vmbackup.localPath, 'other']] as const) {
    if (local) result.judged.push({ path: local, kind });
  }
  for (const denied of view.denied) result.diagnostics.push(cannotReadAsThisUser(denied, ctx.userName));
  const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const notUsed = (message: string, rule: string, extra: Record<string, unknown> = {}): EngineDiagnostic => ({ code: DiagnosticCode.configIgnored, severity: 'warning', message, range: start, data: { rule, ...extra } });
  if (view.path === 'workload') {
    result.notUsed = notUsed(l10n.t('Not used by the agent: {0}.', view.pathReason), 'workloadConf', { workload: view.workload.prediction.name });
    return result;
  }
  const agentCode = view.hostConf.prediction.agentCode;
  if (agentCode !== undefined) {
    const { diagnostic: _code, ...failure } = agentFailure(HOST_FAILURES[agentCode]);
    result.failures.push(failure);
  }
  const named = view.hostConf.prediction.pluginConfigVmPath;
  if (agentCode === undefined && named && path.posix.normalize(named) !== configVmPath) {
    result.notUsed = notUsed(l10n.t('Not used by the agent: {0} points it at {1}, so it does not read this file.', view.hostConf.vmPath ?? HOST_CONF_VM_PATH, named), 'otherConfigPath', { path: named });
  } else if (agentCode === undefined && view.hostConf.prediction.numberOfPlugins <= 0) {
    result.notUsed = notUsed(l10n.t('Not used by the agent: {0} loads no plugin, so no script runs, and the backup is still reported application consistent.', view.hostConf.vmPath ?? HOST_CONF_VM_PATH), 'noPlugins');
  }
  return result;
}

/** On the workload path the agent's result is the workload framework's: 0, or its first 5xx (file-system consistent). */
export function workloadOutcome(view: AgentFilesView): AgentOutcome {
  return agentCodeInfo(view.workload.prediction.errors[0]?.code ?? 0);
}
