import { AgentStage, DiagnosticCode } from '../codes';
import type { FileInfo, FileKind, FileSystem } from '../fs/fileSystem';
import * as l10n from '@vscode/l10n';
import type { PredictedFailure, ScriptLocation } from '../model/agentConfig';
import { describeResolution, PathContext, resolveVmPath } from '../paths/pathResolution';
import type { DiagnosticSink } from './sink';

function describeKind(kind: FileKind): string {
  switch (kind) {
    case 'directory':
      return l10n.t('folder');
    case 'fifo':
      return l10n.t('named pipe (FIFO)');
    case 'socket':
      return l10n.t('socket');
    case 'device':
      return l10n.t('device');
    default:
      return l10n.t('special file');
  }
}

function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

/** The agent reads `oct(st_mode)[-3:]`: only the group and other digits must be zero. */
export function scriptModeAccepted(mode: number): boolean {
  return (mode & 0o077) === 0;
}

/** The plugin config must also have owner-execute off (600, 400, 200, 000 pass; 700 fails). */
export function configModeAccepted(mode: number): boolean {
  return (mode & 0o177) === 0;
}

export interface ScriptCheckResult {
  side: 'pre' | 'post';
  location: ScriptLocation;
  /** Where the script was looked for on this machine. */
  localPath?: string;
  info?: FileInfo;
}

/**
 * Steps 3 to 8 of the agent's validation: each script must be a file (following links), with
 * group and other permission digits 0 and owned by root. Modes and owners are judged only
 * where they are real (`checkModes`).
 */
export function checkScriptFile(
  side: 'pre' | 'post',
  location: ScriptLocation,
  fileSystem: FileSystem,
  context: PathContext,
  checkModes: boolean,
  sink: DiagnosticSink,
  failures: PredictedFailure[],
): ScriptCheckResult {
  const result: ScriptCheckResult = { side, location };
  if (!location.vmPath.startsWith('/')) return result; // already reported as a relative path
  const localPath = resolveVmPath(location.vmPath, context);
  if (!localPath) return result;
  result.localPath = localPath;
  const stage = side === 'pre' ? AgentStage.preScript : AgentStage.postScript;
  const info = fileSystem.stat(localPath);
  result.info = info;
  if (!info || info.kind !== 'file') {
    const notFound = side === 'pre' ? 302 : 303;
    const where = localPath === location.vmPath ? localPath : `${localPath} (${location.vmPath})`;
    const reason = !info
      ? fileSystem.lstat(localPath)?.kind === 'symlink'
        ? l10n.t('it is a dangling symbolic link')
        : l10n.t('nothing is there')
      : l10n.t('it is a {0}, not a file', describeKind(info.kind));
    sink.atNode(location.node, {
      code: side === 'pre' ? DiagnosticCode.preScriptNotFound : DiagnosticCode.postScriptNotFound,
      severity: 'error',
      message:
        side === 'pre'
          ? l10n.t('The agent will not find the pre-script: looked for {0} {1} and {2} (302).', where, describeResolution(context), reason)
          : l10n.t('The agent will not find the post-script: looked for {0} {1} and {2} (303).', where, describeResolution(context), reason),
      agentCode: notFound,
      data: { rule: 'scriptNotFound', side, localPath, vmPath: location.vmPath },
    });
    failures.push({ agentCode: notFound, stage });
    return result;
  }
  if (!checkModes) return result;
  const permissionCode = side === 'pre' ? 306 : 307;
  const diagnosticCode = side === 'pre' ? DiagnosticCode.preScriptPermission : DiagnosticCode.postScriptPermission;
  if (!scriptModeAccepted(info.mode)) {
    sink.atNode(location.node, {
      code: diagnosticCode,
      severity: 'error',
      message: l10n.t('{0} has mode {1}: the agent refuses a script that its group or others can access ({2}). Run chmod 700 on it.', localPath, modeText(info.mode), permissionCode),
      agentCode: permissionCode,
      data: { rule: 'scriptMode', side, localPath, mode: info.mode },
    });
    failures.push({ agentCode: permissionCode, stage });
  }
  if (info.uid !== 0) {
    sink.atNode(location.node, {
      code: diagnosticCode,
      severity: 'error',
      message: l10n.t('{0} is owned by uid {1}: the agent runs only scripts owned by root ({2}). Run chown root: on it.', localPath, info.uid, permissionCode),
      agentCode: permissionCode,
      data: { rule: 'scriptOwner', side, localPath, uid: info.uid },
    });
    failures.push({ agentCode: permissionCode, stage });
  }
  return result;
}

/** Step 1: the config itself must be root's, mode 600 or stricter (else 317). */
export function checkConfigFileModes(localPath: string, fileSystem: FileSystem, sink: DiagnosticSink, failures: PredictedFailure[]): void {
  const info = fileSystem.stat(localPath);
  if (!info) return;
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  if (!configModeAccepted(info.mode)) {
    sink.add(range, {
      code: DiagnosticCode.pluginConfigPermission,
      severity: 'error',
      message: l10n.t('This config has mode {0}: the agent wants it owned by root with mode 600 (no execute bit, nothing for group or others) and skips the scripts (317). Run chmod 600 on it.', modeText(info.mode)),
      agentCode: 317,
      data: { rule: 'configMode', localPath, mode: info.mode },
    });
    failures.push({ agentCode: 317, stage: AgentStage.configFile });
  }
  if (info.uid !== 0) {
    sink.add(range, {
      code: DiagnosticCode.pluginConfigPermission,
      severity: 'error',
      message: l10n.t('This config is owned by uid {0}, not root: the agent skips the scripts (317). Run chown root: on it.', info.uid),
      agentCode: 317,
      data: { rule: 'configOwner', localPath, uid: info.uid },
    });
    failures.push({ agentCode: 317, stage: AgentStage.configFile });
  }
}
