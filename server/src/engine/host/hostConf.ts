import { agentFailure, AgentFailureKind, PredictedFailure } from '../agentFailures';
import { DiagnosticCode, HOST_CAP_DEFAULT_SECONDS, HOST_CONF_VM_PATH, WORKLOAD_CONF_VM_PATH } from '../codes';
import { cannotReadAsThisUser } from '../checks/accessDenied';
import { silentFailureNote } from '../checks/messages';
import { FileInfo, isDenied } from '../fs/fileSystem';
import * as l10n from '@vscode/l10n';
import { PathContext, resolveVmPath } from '../paths/pathResolution';
import type { EngineContext } from '../service/context';
import type { EngineDiagnostic } from '../types';
import { parseIni, parseIniInt } from './iniFile';

const MAX_CONF_BYTES = 64 * 1024;
const WORKLOADS_THAT_REPLACE_SCRIPTS = new Set(['oracle', 'mysql', 'mariadb', 'postgres']);

export interface HostFindings {
  /** The host conf the agent reads, when it is there to be judged. */
  localPath?: string;
  hostCapSeconds: number;
  /** The config path the agent reads, when the host conf names one. */
  pluginConfigVmPath?: string;
  failures: PredictedFailure[];
  diagnostics: EngineDiagnostic[];
}

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function lineRange(line: number) {
  return { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 1000 } };
}

/** The text of an INI file, or what stopped us from reading it. */
function readText(ctx: EngineContext, localPath: string, info: FileInfo): string | undefined | { denied: true } {
  const text = ctx.iniTexts.get(localPath, info, () => {
    const bytes = ctx.fileSystem.readFile(localPath, MAX_CONF_BYTES);
    return isDenied(bytes) ? DENIED : bytes && Buffer.from(bytes).toString('utf8');
  });
  return text === DENIED ? { denied: true } : text;
}

/** Kept in the text cache for a file we may not read, so that it is not opened on every keystroke. */
const DENIED = '\u0000denied';

/**
 * `/etc/azure/VMSnapshotPluginHost.conf`: when present it can only lower the 1800 s cap, must
 * be owned by root with group and other digits of 0 or 4, and must parse (else 314 / 304).
 * When absent the agent uses the copy shipped with it, so absence is not an error.
 */
export function checkHostConf(ctx: EngineContext, context: PathContext, checkModes: boolean): HostFindings {
  const findings: HostFindings = { hostCapSeconds: HOST_CAP_DEFAULT_SECONDS, failures: [], diagnostics: [] };
  const localPath = resolveVmPath(HOST_CONF_VM_PATH, context);
  const info = localPath ? ctx.fileSystem.stat(localPath) : undefined;
  if (localPath && isDenied(info)) {
    findings.diagnostics.push(cannotReadAsThisUser(localPath, ctx.userName));
    return findings;
  }
  if (!localPath || !info || info.kind !== 'file') return findings;
  findings.localPath = localPath;

  const hostError = (message: string, kind: AgentFailureKind, rule: string, range = START): void => {
    const { agentCode, stage, diagnostic } = agentFailure(kind);
    findings.diagnostics.push({
      code: diagnostic,
      severity: 'error',
      message: `${message} ${silentFailureNote()}`,
      range,
      file: localPath,
      agentCode,
      data: { rule },
    });
    findings.failures.push({ agentCode, stage });
  };

  if (checkModes) {
    const group = (info.mode >> 3) & 7;
    const other = info.mode & 7;
    if (![0, 4].includes(group) || ![0, 4].includes(other)) {
      hostError(l10n.t('{0} has mode {1}: the agent wants group and other permissions of 0 or 4, such as 644 or 600 (314).', HOST_CONF_VM_PATH, info.mode.toString(8).padStart(3, '0')), 'hostConfPermission', 'hostConfMode');
    } else if (info.uid !== 0) {
      hostError(l10n.t('{0} is owned by uid {1}, not root (314).', HOST_CONF_VM_PATH, info.uid), 'hostConfPermission', 'hostConfOwner');
    }
  }

  const text = readText(ctx, localPath, info);
  if (typeof text === 'object') {
    findings.diagnostics.push(cannotReadAsThisUser(localPath, ctx.userName));
    return findings;
  }
  const ini = parseIni(text ?? '');
  if (ini.error) {
    hostError(l10n.t('{0} cannot be parsed ({1}): the agent reports 304.', HOST_CONF_VM_PATH, ini.error.message), 'hostConfParse', 'hostConfParse', lineRange(ini.error.line));
    return findings;
  }
  const section = ini.sections.get('pre_post');
  const timeoutText = section?.get('timeoutinseconds');
  if (timeoutText !== undefined) {
    const timeout = parseIniInt(timeoutText);
    if (timeout === undefined) hostError(l10n.t('timeoutInSeconds in {0} is not an integer: the agent reports 304.', HOST_CONF_VM_PATH), 'hostConfParse', 'hostConfTimeout');
    else findings.hostCapSeconds = Math.min(timeout, HOST_CAP_DEFAULT_SECONDS);
  }
  const plugins = parseIniInt(section?.get('numberofplugins'));
  if (plugins === 0) {
    findings.diagnostics.push({
      code: DiagnosticCode.configIgnored,
      severity: 'warning',
      message: l10n.t('{0} sets numberOfPlugins to 0: the agent runs no script and still reports an application-consistent backup.', HOST_CONF_VM_PATH),
      range: START,
      file: localPath,
      data: { rule: 'noPlugins' },
    });
  }
  findings.pluginConfigVmPath = section?.get('pluginconfigpath0')?.trim();
  return findings;
}

export interface WorkloadFindings {
  /** The workload.conf the agent reads, when it is there to be judged. */
  localPath?: string;
  /** About the script config: the agent ignores it for a database workload. */
  configIgnored?: EngineDiagnostic;
  /** About workload.conf itself. */
  diagnostics: EngineDiagnostic[];
}

/** `/etc/azure/workload.conf` naming a database makes the agent skip the script config entirely. */
export function checkWorkloadConf(ctx: EngineContext, context: PathContext): WorkloadFindings {
  const findings: WorkloadFindings = { diagnostics: [] };
  const localPath = resolveVmPath(WORKLOAD_CONF_VM_PATH, context);
  const info = localPath ? ctx.fileSystem.stat(localPath) : undefined;
  if (!localPath || !info) return findings;
  const text = isDenied(info) ? { denied: true } : info.kind === 'file' ? readText(ctx, localPath, info) : undefined;
  if (typeof text === 'object') {
    findings.diagnostics.push(cannotReadAsThisUser(localPath, ctx.userName));
    return findings;
  }
  if (isDenied(info) || info.kind !== 'file') return findings;
  findings.localPath = localPath;
  const ini = parseIni(text ?? '');
  const workload = ini.sections.get('workload')?.get('workload_name')?.trim().toLowerCase();
  if (!workload || !WORKLOADS_THAT_REPLACE_SCRIPTS.has(workload)) return findings;
  findings.configIgnored = {
    code: DiagnosticCode.configIgnored,
    severity: 'warning',
    message: l10n.t('{0} names the workload "{1}": the agent uses its own database framework instead and ignores this config and its scripts.', WORKLOAD_CONF_VM_PATH, workload),
    range: START,
    data: { rule: 'workloadConf', workload },
  };
  return findings;
}
