import * as l10n from '@vscode/l10n';
import { AgentFileCode, DiagnosticCode, VMBACKUP_CONF_VM_PATH } from '../codes';
import { findOption, getValue, hasOption, IniDocument, IniOption, parseIni, pythonBoolean, pythonInt } from '../ini/configParser';
import type { EngineDiagnostic } from '../types';
import { findKeySpec } from './catalogue';
import { checkNamesAndValues, checkParseErrors, FileFindings, lineRange, spanRange, valueRange } from './iniChecks';

/** What the agent reads from vmbackup.conf (the CLI's top-level `vmbackup`). */
export interface VmbackupPrediction {
  /** Where the values come from: the file, or the agent's defaults (absent, unreadable, unparsable). */
  source: 'file' | 'defaults';
  /** `MountsToSkip.split(',')` as the agent splits it, spaces kept; empty when unset. */
  mountsToSkip: string[];
  /** The exact value `/` switches the agent's log to disk during the freeze. */
  mountsToSkipIsRoot: boolean;
  snapshotTimeoutSeconds: number;
  safeFreezeWaitSeconds: number;
  writeLog: boolean;
  uploadStatusAndLog: boolean;
  snapshotMethod?: string;
  monitorRun: boolean;
}

export interface VmbackupAnalysis {
  prediction: VmbackupPrediction;
  diagnostics: EngineDiagnostic[];
  document?: IniDocument;
}

const SECTION = 'SnapshotThread';
export const SNAPSHOT_TIMEOUT_DEFAULT = 60;
export const SAFE_FREEZE_WAIT_DEFAULT = 66;
const SNAPSHOT_METHODS = ['firstHostThenGuest', 'firstGuestThenHost', 'onlyHost', 'onlyGuest'];

export function defaultVmbackup(): VmbackupPrediction {
  return { source: 'defaults', mountsToSkip: [], mountsToSkipIsRoot: false, snapshotTimeoutSeconds: SNAPSHOT_TIMEOUT_DEFAULT, safeFreezeWaitSeconds: SAFE_FREEZE_WAIT_DEFAULT, writeLog: true, uploadStatusAndLog: true, monitorRun: false };
}

/** `HandlerUtil.get_value_from_configfile`: any exception, a missing key and an empty value all mean "use the default". */
function configValue(document: IniDocument, key: string): string | undefined {
  if (document.error || !hasOption(document, SECTION, key)) return undefined;
  const value = getValue(document, SECTION, key)!;
  return value.ok && value.value !== '' ? value.value : undefined;
}

function predict(document: IniDocument | undefined): VmbackupPrediction {
  const prediction = defaultVmbackup();
  if (!document || document.error) return prediction;
  prediction.source = 'file';
  const intValue = (key: string, fallback: number) => pythonInt(configValue(document, key)) ?? fallback;
  prediction.snapshotTimeoutSeconds = intValue('timeout', SNAPSHOT_TIMEOUT_DEFAULT);
  prediction.safeFreezeWaitSeconds = intValue('SafeFreezeWaitInSeconds', SAFE_FREEZE_WAIT_DEFAULT);
  const skip = configValue(document, 'MountsToSkip');
  prediction.mountsToSkip = skip === undefined ? [] : skip.split(',');
  prediction.mountsToSkipIsRoot = skip === '/';
  prediction.writeLog = (configValue(document, 'WriteLog') ?? 'True') === 'True';
  prediction.uploadStatusAndLog = (configValue(document, 'UploadStatusAndLog') ?? 'True') === 'True';
  prediction.snapshotMethod = configValue(document, 'SnapshotMethod');
  const run = hasOption(document, 'Monitor', 'Run') ? getValue(document, 'Monitor', 'Run') : undefined;
  prediction.monitorRun = run?.ok === true && pythonBoolean(run.value) === true;
  return prediction;
}

export interface VmbackupInput {
  text: string;
  /** The VM path of this copy: only /etc/azure/vmbackup.conf is ever read. */
  vmPath?: string;
}

/** Reads vmbackup.conf as every reader of the agent does and says what each key really does. */
export function analyzeVmbackupConf(input: VmbackupInput, file: string): VmbackupAnalysis {
  const document = parseIni(input.text);
  const findings = new FileFindings(file);
  if (input.vmPath !== undefined && input.vmPath !== VMBACKUP_CONF_VM_PATH) {
    const message = input.vmPath.includes('/var/lib/waagent/')
      ? l10n.t('The agent never reads a vmbackup.conf inside the extension folder (the troubleshooting page names this copy), and the folder is replaced on every upgrade. Put it at {0}.', VMBACKUP_CONF_VM_PATH)
      : l10n.t('The agent reads only {0}; this copy is never read.', VMBACKUP_CONF_VM_PATH);
    findings.add(lineRange(document, 0), AgentFileCode.fileNeverRead, 'warning', message, 'wrongLocation', { data: { vmPath: VMBACKUP_CONF_VM_PATH } });
    return { prediction: defaultVmbackup(), diagnostics: findings.diagnostics, document };
  }
  const prediction = predict(document);
  checkParseErrors(document, findings, l10n.t('Every reader of the agent catches this and uses its defaults, for every key in the file: timeout 60, SafeFreezeWaitInSeconds 66, no MountsToSkip. Nothing is logged.'));
  checkNamesAndValues('vmbackup', document, findings);
  if (document.error) return { prediction, diagnostics: findings.diagnostics, document };
  for (const option of document.options) checkOption(document, option, prediction, findings);
  return { prediction, diagnostics: findings.diagnostics, document };
}

function checkOption(document: IniDocument, option: IniOption, prediction: VmbackupPrediction, findings: FileFindings): void {
  // Only the option the agent finds counts: a [DEFAULT] one shadowed by the section's is never read.
  const section = option.section === 'DEFAULT' ? SECTION : option.section;
  if (findOption(document, section, option.key) !== option) return;
  const spec = findKeySpec('vmbackup', section, option.key);
  if (!spec) return;
  const value = getValue(document, section, option.key)!;
  if (!value.ok) {
    findings.add(valueRange(option), AgentFileCode.percentInValue, 'warning', l10n.t('{0} holds a % that Python 3\'s configparser cannot interpolate (write %%): the agent uses the default instead.', option.name), 'percent');
    return;
  }
  const text = value.value;
  if (section === 'Monitor') return checkMonitor(option, text, findings);
  if (section !== SECTION || text === '') return;
  const key = spec.name;
  const integerKeys: Record<string, number> = { timeout: SNAPSHOT_TIMEOUT_DEFAULT, SafeFreezeWaitInSeconds: SAFE_FREEZE_WAIT_DEFAULT, seqsnapshot: 0, LoggingOff: 0, disable_logging: 0, sudo_off: 0 };
  if (key in integerKeys && pythonInt(text) === undefined) {
    findings.add(valueRange(option), DiagnosticCode.invalidValue, 'warning', l10n.t('{0} {1} is not an integer for Python\'s int(): the agent uses {2}.', option.name, text, integerKeys[key]), 'notInteger', { data: { key } });
    return;
  }
  switch (key) {
    case 'timeout':
      if (prediction.snapshotTimeoutSeconds <= 0) findings.add(valueRange(option), AgentFileCode.valueOutOfRange, 'error', l10n.t('A freeze limit of {0} s: the safefreeze binary refuses to start, and the freeze fails (121).', prediction.snapshotTimeoutSeconds), 'timeoutRange');
      break;
    case 'SafeFreezeWaitInSeconds':
      if (prediction.safeFreezeWaitSeconds < 6) findings.add(valueRange(option), AgentFileCode.valueOutOfRange, 'error', l10n.t('The agent waits int({0}/2) polls of 2 s for the freeze, and the binary starts only after 3 s: the freeze times out (122) before or as it begins. Use the default 66 or more.', prediction.safeFreezeWaitSeconds), 'safeFreezeRange');
      break;
    case 'MountsToSkip':
      checkMountsToSkip(option, text, findings);
      break;
    case 'OnAppFailureDoFsFreeze':
    case 'OnAppSuccessDoFsFreeze':
      findings.add(spanRange(option.nameSpan), AgentFileCode.keyHasNoEffect, 'warning', l10n.t('{0} has no effect at any value: the agent compares the text it reads with the booleans True and False, never equal, and always freezes.', option.name), 'noEffect');
      break;
    case 'WriteLog':
      if (text !== 'True') findings.add(valueRange(option), AgentFileCode.loggingSwitchedOff, pythonBoolean(text) === false ? 'information' : 'warning', l10n.t('Only exactly True keeps the agent\'s logging on: {0} switches all extension logging off.', text), 'writeLog', { data: { key, value: 'True' } });
      break;
    case 'UploadStatusAndLog':
      if (text !== 'True') findings.add(valueRange(option), AgentFileCode.loggingSwitchedOff, pythonBoolean(text) === false ? 'information' : 'warning', l10n.t('Only exactly True uploads the status and log blobs: {0} silently stops the status-blob upload.', text), 'upload', { data: { key, value: 'True' } });
      break;
    case 'SnapshotMethod':
      if (!SNAPSHOT_METHODS.includes(text)) findings.add(valueRange(option), DiagnosticCode.invalidValue, 'warning', l10n.t('{0} is not a snapshot method the agent knows (exact: {1}): it uses firstHostThenGuest.', text, SNAPSHOT_METHODS.join(', ')), 'snapshotMethod');
      break;
  }
}

function checkMountsToSkip(option: IniOption, text: string, findings: FileFindings): void {
  if (text === '/') {
    findings.add(valueRange(option), AgentFileCode.mountsToSkipNotMatched, 'warning', l10n.t('/ is always frozen, last. MountsToSkip = / only makes the agent write its log to disk during the freeze, which can block on the frozen /.'), 'rootOnly');
    return;
  }
  const entries = text.split(',');
  const trimmed = entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
  const spaced = entries.some((entry) => entry !== entry.trim());
  if (spaced) {
    findings.add(valueRange(option), AgentFileCode.mountsToSkipNotMatched, 'warning', l10n.t('The agent splits on "," without trimming: {0} never match a mount point. Write {1}.', entries.filter((entry) => entry !== entry.trim()).map((entry) => JSON.stringify(entry)).join(', '), trimmed.join(',')), 'spacing', { data: { value: trimmed.join(',') } });
  }
  if (trimmed.includes('/')) {
    findings.add(valueRange(option), AgentFileCode.mountsToSkipNotMatched, 'warning', l10n.t('/ cannot be skipped: the agent always freezes it, last.'), 'root');
  }
  const odd = trimmed.filter((entry) => entry !== '/' && (!entry.startsWith('/') || entry.endsWith('/')));
  if (odd.length > 0) {
    findings.add(valueRange(option), AgentFileCode.mountsToSkipNotMatched, 'warning', l10n.t('{0}: the agent compares exact mount points (absolute, no trailing /), so these never match.', odd.join(', ')), 'notMountPoint');
  }
}

function checkMonitor(option: IniOption, text: string, findings: FileFindings): void {
  if (option.key !== 'run' && option.key !== 'strace') return;
  const flag = pythonBoolean(text);
  if (flag === undefined) {
    findings.add(valueRange(option), DiagnosticCode.invalidValue, 'warning', l10n.t('{0} is not a boolean for getboolean() (True, False, yes, no, on, off, 1, 0): the agent stops reading [Monitor] here and starts no monitor.', text), 'notBoolean');
  } else if (flag && option.key === 'run') {
    findings.add(valueRange(option), AgentFileCode.monitorRunsBinary, 'warning', l10n.t('The agent starts <Location>/msft_snap_monit as root on every backup: whatever binary is at that path runs as root.'), 'monitor');
  }
}
