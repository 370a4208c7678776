import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { agentFailure, PredictedFailure, Side } from '../agentFailures';
import { DiagnosticCode } from '../codes';
import { FileInfo, FileKind, isDenied } from '../fs/fileSystem';
import type { ScriptLocation } from '../model/agentConfig';
import { findExtensionFolder } from '../paths/extensionFolder';
import { describeResolution, PathContext, resolveVmPath } from '../paths/pathResolution';
import type { EngineContext } from '../service/context';
import type { EngineDiagnostic } from '../types';
import { cannotReadAsThisUser } from './accessDenied';
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

export interface ScriptFileResult {
  side: Side;
  location: ScriptLocation;
  /** Where the script was looked for on this machine. */
  localPath?: string;
  /** What is there, when it is a file the agent will run. */
  info?: FileInfo;
}

interface ScriptFileStep {
  side: Side;
  location: ScriptLocation;
  context: PathContext;
  checkModes: boolean;
  sink: DiagnosticSink;
  failures: PredictedFailure[];
  /** Findings about other files (a script we may not read). */
  otherFiles: EngineDiagnostic[];
}

function reportNotFound(step: ScriptFileStep, message: string, localPath: string | undefined, rule = 'scriptNotFound'): void {
  const failure = agentFailure('scriptNotFound', step.side);
  step.sink.atNode(step.location.node, {
    code: failure.diagnostic,
    severity: 'error',
    message,
    agentCode: failure.agentCode,
    data: { rule, side: step.side, localPath, vmPath: step.location.vmPath },
  });
  step.failures.push(failure);
}

function notFoundMessage(side: Side, where: string, how: string, reason: string): string {
  return side === 'pre'
    ? l10n.t('The agent will not find the pre-script: looked for {0} {1} and {2} (302).', where, how, reason)
    : l10n.t('The agent will not find the post-script: looked for {0} {1} and {2} (303).', where, how, reason);
}

/**
 * A relative path resolves against the agent's working directory, its extension folder. Where
 * the tree shows that folder and the script is there, the agent finds it — until the next
 * extension version moves the folder.
 */
function resolveRelative(ctx: EngineContext, step: ScriptFileStep): string | undefined {
  const { vmPath } = step.location;
  const extension = findExtensionFolder(ctx.fileSystem, step.context);
  const candidate = extension && path.join(extension.localPath, vmPath);
  const info = candidate ? ctx.fileSystem.stat(candidate) : undefined;
  if (extension && candidate && info && !isDenied(info) && info.kind === 'file') {
    step.sink.atNode(step.location.node, {
      code: DiagnosticCode.relativeScriptPath,
      severity: 'warning',
      message: l10n.t('"{0}" is a relative path: the agent finds it in its extension folder {1}, its working directory, but a new extension version has a new folder and then the script is not found ({2}). Write an absolute path.', vmPath, extension.vmPath, agentFailure('scriptNotFound', step.side).agentCode),
      data: { rule: 'relativePathFound', side: step.side, absolutePath: path.posix.join(extension.vmPath, vmPath) },
    });
    return candidate;
  }
  const code = agentFailure('scriptNotFound', step.side).agentCode;
  reportNotFound(
    step,
    extension
      ? l10n.t('"{0}" is a relative path: the agent resolves it against its own working directory ({1}), not /etc/azure, and nothing is there ({2}). Write an absolute path.', vmPath, extension.vmPath, code)
      : l10n.t('"{0}" is a relative path: the agent resolves it against its own working directory (/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-<version>/), not /etc/azure, and will not find the script ({1}). Write an absolute path.', vmPath, code),
    undefined,
    'relativePath',
  );
  return undefined;
}

function checkScriptModes(step: ScriptFileStep, localPath: string, info: FileInfo): void {
  const failure = agentFailure('scriptPermission', step.side);
  if (!scriptModeAccepted(info.mode)) {
    step.sink.atNode(step.location.node, {
      code: failure.diagnostic,
      severity: 'error',
      message: l10n.t('{0} has mode {1}: the agent refuses a script that its group or others can access ({2}). Run chmod 700 on it.', localPath, modeText(info.mode), failure.agentCode),
      agentCode: failure.agentCode,
      data: { rule: 'scriptMode', side: step.side, localPath, mode: info.mode },
    });
    step.failures.push(failure);
  }
  if (info.uid !== 0) {
    step.sink.atNode(step.location.node, {
      code: failure.diagnostic,
      severity: 'error',
      message: l10n.t('{0} is owned by uid {1}: the agent runs only scripts owned by root ({2}). Run chown root: on it.', localPath, info.uid, failure.agentCode),
      agentCode: failure.agentCode,
      data: { rule: 'scriptOwner', side: step.side, localPath, uid: info.uid },
    });
    step.failures.push(failure);
  }
}

/**
 * Steps 3 to 8 of the agent's validation: each script must be a file (following links), with
 * group and other permission digits 0 and owned by root. Modes and owners are judged only
 * where they are real (`checkModes`). What we may not look at is said, not guessed.
 */
export function checkScriptLocation(ctx: EngineContext, step: ScriptFileStep): ScriptFileResult {
  const { side, location, context } = step;
  const result: ScriptFileResult = { side, location };
  // Without a way to the VM's files only a relative path can be judged: nothing makes it found.
  const localPath = location.vmPath.startsWith('/') ? resolveVmPath(location.vmPath, context) : resolveRelative(ctx, step);
  if (!localPath) return result;
  result.localPath = localPath;
  const info = ctx.fileSystem.stat(localPath);
  if (isDenied(info)) {
    step.otherFiles.push(cannotReadAsThisUser(localPath, ctx.userName));
    return result;
  }
  if (!info || info.kind !== 'file') {
    const where = localPath === location.vmPath ? localPath : `${localPath} (${location.vmPath})`;
    const linkInfo = info ? undefined : ctx.fileSystem.lstat(localPath);
    const reason = !info
      ? linkInfo && !isDenied(linkInfo) && linkInfo.kind === 'symlink'
        ? l10n.t('it is a dangling symbolic link')
        : l10n.t('nothing is there')
      : l10n.t('it is a {0}, not a file', describeKind(info.kind));
    reportNotFound(step, notFoundMessage(side, where, describeResolution(context), reason), localPath);
    return result;
  }
  result.info = info;
  if (step.checkModes) checkScriptModes(step, localPath, info);
  return result;
}

/** Step 1: the config itself must be root's, mode 600 or stricter (else 317). */
export function checkConfigFileModes(ctx: EngineContext, localPath: string, sink: DiagnosticSink, failures: PredictedFailure[]): void {
  const info = ctx.fileSystem.stat(localPath);
  if (!info || isDenied(info)) return;
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const failure = agentFailure('configPermission');
  if (!configModeAccepted(info.mode)) {
    sink.add(range, {
      code: failure.diagnostic,
      severity: 'error',
      message: l10n.t('This config has mode {0}: the agent wants it owned by root with mode 600 (no execute bit, nothing for group or others) and skips the scripts (317). Run chmod 600 on it.', modeText(info.mode)),
      agentCode: failure.agentCode,
      data: { rule: 'configMode', localPath, mode: info.mode },
    });
    failures.push(failure);
  }
  if (info.uid !== 0) {
    sink.add(range, {
      code: failure.diagnostic,
      severity: 'error',
      message: l10n.t('This config is owned by uid {0}, not root: the agent skips the scripts (317). Run chown root: on it.', info.uid),
      agentCode: failure.agentCode,
      data: { rule: 'configOwner', localPath, uid: info.uid },
    });
    failures.push(failure);
  }
}
