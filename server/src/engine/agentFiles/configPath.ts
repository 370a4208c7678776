import * as l10n from '@vscode/l10n';
import * as path from 'path';
import { AgentStage, CONFIG_VM_PATH, DiagnosticCode, HOST_CONF_VM_PATH, WORKLOAD_ERROR_NAMES } from '../codes';
import type { FileSystem } from '../fs/fileSystem';
import type { PredictedFailure } from '../model/agentConfig';
import type { AgentOutcome } from '../outcome';
import type { PathContext } from '../paths/pathResolution';
import type { EngineDiagnostic } from '../types';
import { AgentFilesView, readAgentFiles } from './etcAzure';
import { readMountTable, standsForWholeVm, vmFilesFrom } from './vmFiles';

/** The VM path a local config stands for, where its place in a VM tree is known. */
export function configVmPathOf(configPath: string | undefined, context: PathContext): string {
  if (!configPath || !context.root) return CONFIG_VM_PATH;
  const absolute = path.resolve(configPath);
  if (context.root === '/') return absolute;
  return absolute.startsWith(`${context.root}/`) ? absolute.slice(context.root.length) : CONFIG_VM_PATH;
}

export interface AgentFilesForConfig {
  view?: AgentFilesView;
  /** The cap the host conf the agent uses puts on script timeouts. */
  hostCapSeconds: number;
  /** 304/313/314 from the host conf, on the script path only. */
  failures: PredictedFailure[];
  /** Findings about workload.conf, the host conf and vmbackup.conf, each with its `file`. */
  diagnostics: EngineDiagnostic[];
  /** Said on the config itself when the agent does not use it. */
  notUsed?: EngineDiagnostic;
}

/**
 * What /etc/azure's other files decide for this config: whether the agent uses it at all (the
 * workload path, or a host conf naming another config), the cap, and the host conf's failures.
 */
export function judgeAgentFiles(fileSystem: FileSystem, context: PathContext, checkModes: boolean, configVmPath: string): AgentFilesForConfig {
  if (context.kind === 'none' || context.kind === 'sibling') return { hostCapSeconds: 1800, failures: [], diagnostics: [] };
  const view = readAgentFiles(vmFilesFrom(fileSystem, context), { checkModes, mountTable: readMountTable(fileSystem, context) });
  const result: AgentFilesForConfig = { view, hostCapSeconds: view.hostConf.prediction.timeoutCapSeconds, failures: [], diagnostics: view.diagnostics };
  const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const notUsed = (message: string, rule: string, extra: Record<string, unknown> = {}): EngineDiagnostic => ({ code: DiagnosticCode.configIgnored, severity: 'warning', message, range: start, data: { rule, ...extra } });
  if (view.path === 'workload') {
    result.notUsed = notUsed(l10n.t('Not used by the agent: {0}.', view.pathReason), 'workloadConf', { workload: view.workload.prediction.name });
    return result;
  }
  const agentCode = view.hostConf.prediction.agentCode;
  if (agentCode !== undefined && (agentCode !== 313 || standsForWholeVm(context))) result.failures.push({ agentCode, stage: AgentStage.hostConf });
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
  const first = view.workload.prediction.errors[0];
  return first ? { code: first.code, name: WORKLOAD_ERROR_NAMES[first.code], silent: true } : { code: 0, name: 'Success', silent: false };
}
