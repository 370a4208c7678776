import { AgentStage, DiagnosticCode, HOST_CAP_DEFAULT_SECONDS, HOST_CONF_VM_PATH, WORKLOAD_CONF_VM_PATH } from '../codes';
import { silentFailureNote } from '../checks/messages';
import type { FileInfo, FileSystem } from '../fs/fileSystem';
import * as l10n from '@vscode/l10n';
import type { PredictedFailure } from '../model/agentConfig';
import { PathContext, resolveVmPath } from '../paths/pathResolution';
import type { EngineDiagnostic } from '../types';
import { parseIni, parseIniInt } from './iniFile';

const MAX_CONF_BYTES = 64 * 1024;
const WORKLOADS_THAT_REPLACE_SCRIPTS = new Set(['oracle', 'mysql', 'mariadb', 'postgres']);

export interface HostFindings {
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

const texts = new Map<string, { stamp: string; text: string | undefined }>();

/**
 * The agent's INI files are read on every analysis of the config, that is on every keystroke:
 * read again only when their size or times change.
 */
function readText(fileSystem: FileSystem, localPath: string, info: FileInfo): string | undefined {
  const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  const cached = texts.get(localPath);
  if (cached?.stamp === stamp) return cached.text;
  const bytes = fileSystem.readFile(localPath, MAX_CONF_BYTES);
  const text = bytes && Buffer.from(bytes).toString('utf8');
  if (texts.size >= 16) texts.delete(texts.keys().next().value!);
  texts.set(localPath, { stamp, text });
  return text;
}

/**
 * `/etc/azure/VMSnapshotPluginHost.conf`: when present it can only lower the 1800 s cap, must
 * be owned by root with group and other digits of 0 or 4, and must parse (else 314 / 304).
 * When absent the agent uses the copy shipped with it, so absence is not an error.
 */
export function checkHostConf(fileSystem: FileSystem, context: PathContext, checkModes: boolean): HostFindings {
  const findings: HostFindings = { hostCapSeconds: HOST_CAP_DEFAULT_SECONDS, failures: [], diagnostics: [] };
  const localPath = resolveVmPath(HOST_CONF_VM_PATH, context);
  const info = localPath ? fileSystem.stat(localPath) : undefined;
  if (!localPath || !info || info.kind !== 'file') return findings;

  const hostError = (message: string, agentCode: number, rule: string, range = START): void => {
    findings.diagnostics.push({
      code: DiagnosticCode.incorrectPluginhostFile,
      severity: 'error',
      message: `${message} ${silentFailureNote()}`,
      range,
      file: localPath,
      agentCode,
      data: { rule },
    });
    findings.failures.push({ agentCode, stage: AgentStage.hostConf });
  };

  if (checkModes) {
    const group = (info.mode >> 3) & 7;
    const other = info.mode & 7;
    if (![0, 4].includes(group) || ![0, 4].includes(other)) {
      hostError(l10n.t('{0} has mode {1}: the agent wants group and other permissions of 0 or 4, such as 644 or 600 (314).', HOST_CONF_VM_PATH, info.mode.toString(8).padStart(3, '0')), 314, 'hostConfMode');
    } else if (info.uid !== 0) {
      hostError(l10n.t('{0} is owned by uid {1}, not root (314).', HOST_CONF_VM_PATH, info.uid), 314, 'hostConfOwner');
    }
  }

  const text = readText(fileSystem, localPath, info) ?? '';
  const ini = parseIni(text);
  if (ini.error) {
    hostError(l10n.t('{0} cannot be parsed ({1}): the agent reports 304.', HOST_CONF_VM_PATH, ini.error.message), 304, 'hostConfParse', lineRange(ini.error.line));
    return findings;
  }
  const section = ini.sections.get('pre_post');
  const timeoutText = section?.get('timeoutinseconds');
  if (timeoutText !== undefined) {
    const timeout = parseIniInt(timeoutText);
    if (timeout === undefined) hostError(l10n.t('timeoutInSeconds in {0} is not an integer: the agent reports 304.', HOST_CONF_VM_PATH), 304, 'hostConfTimeout');
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

/** `/etc/azure/workload.conf` naming a database makes the agent skip the script config entirely. */
export function checkWorkloadConf(fileSystem: FileSystem, context: PathContext): EngineDiagnostic | undefined {
  const localPath = resolveVmPath(WORKLOAD_CONF_VM_PATH, context);
  const info = localPath ? fileSystem.stat(localPath) : undefined;
  if (!localPath || info?.kind !== 'file') return undefined;
  const ini = parseIni(readText(fileSystem, localPath, info) ?? '');
  const workload = ini.sections.get('workload')?.get('workload_name')?.trim().toLowerCase();
  if (!workload || !WORKLOADS_THAT_REPLACE_SCRIPTS.has(workload)) return undefined;
  return {
    code: DiagnosticCode.configIgnored,
    severity: 'warning',
    message: l10n.t('{0} names the workload "{1}": the agent uses its own database framework instead and ignores this config and its scripts.', WORKLOAD_CONF_VM_PATH, workload),
    range: START,
    data: { rule: 'workloadConf', workload },
  };
}
