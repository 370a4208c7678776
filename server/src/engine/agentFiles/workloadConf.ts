import * as l10n from '@vscode/l10n';
import type { WorkloadCode } from '../agentFailures';
import { AgentFileCode } from '../codes';
import { findOption, getValue, hasOption, IniDocument, IniOption, parseIni, pythonInt } from '../ini/configParser';
import type { EngineDiagnostic } from '../types';
import { WORKLOAD_NAMES, WorkloadName } from './catalogue';
import { checkNamesAndValues, checkParseErrors, didYouMean, FileFindings, lineRange, spanRange, valueRange } from './iniChecks';

/** Why the agent takes the path it takes, decided by `WorkloadPatch.confParser` alone. */
export type WorkloadDecision = 'absent' | 'notParsed' | 'noSection' | 'noName' | 'nameUnreadable' | 'nameNotAccepted' | 'accepted';

export interface WorkloadError {
  code: WorkloadCode;
  /** Known before any backup from the file alone, or only likely at run time. */
  certain: boolean;
}

export interface WorkloadValues {
  command: string;
  credString: string;
  linuxUser: string;
  ipcFolder: string | null;
  timeout: string;
  role: string;
  enforceSlaveOnly: string;
  dbnames: string[];
  customScriptEnabled: string;
  configurationPath: string;
  logbackup: boolean;
}

export interface WorkloadPrediction {
  /** The accepted workload_name, which puts the agent on the workload path; null on the script path. */
  name: WorkloadName | null;
  decision: WorkloadDecision;
  /** Zero-based line of workload.conf that decides, where one does. */
  decidingLine?: number;
  values: WorkloadValues;
  /** 500–512 in the order the agent records them; the first is the one the portal's health shows. */
  errors: WorkloadError[];
  /** 501/505: the agent skips pre and post and only freezes. */
  preSkipped: boolean;
}

export interface WorkloadAnalysis {
  prediction: WorkloadPrediction;
  diagnostics: EngineDiagnostic[];
  document?: IniDocument;
}

export interface WorkloadEnvironment {
  /** PostgreSQL major version found on the VM's disk, if any. */
  postgresMajor?: number;
}

const DEFAULTS = (): WorkloadValues => ({
  command: '',
  credString: '',
  linuxUser: 'root',
  ipcFolder: null,
  timeout: '90',
  role: 'master',
  enforceSlaveOnly: '0',
  dbnames: [],
  customScriptEnabled: '0',
  configurationPath: '',
  logbackup: false,
});

class ConfParserStopped extends Error {
  constructor(readonly option: IniOption | undefined) {
    super('confParser raised');
  }
}

const SECTION = 'workload';

/** `config.get("workload", key)`: an interpolation error is an exception the reader catches. */
function read(document: IniDocument, key: string): string {
  const value = getValue(document, SECTION, key)!;
  if (!value.ok) throw new ConfParserStopped(findOption(document, SECTION, key));
  return value.value;
}

/** `WorkloadPatch.confParser`, step by step: which path, which values, which errors. */
function predictConf(document: IniDocument | undefined): { prediction: WorkloadPrediction; stoppedAt?: IniOption } {
  const values = DEFAULTS();
  const prediction: WorkloadPrediction = { name: null, decision: 'absent', values, errors: [], preSkipped: false };
  if (!document) return { prediction };
  if (document.error) return { prediction: { ...prediction, decision: 'notParsed', decidingLine: document.error.line } };
  if (!document.sections.has(SECTION)) return { prediction: { ...prediction, decision: 'noSection' } };
  const nameOption = findOption(document, SECTION, 'workload_name');
  if (!nameOption) return { prediction: { ...prediction, decision: 'noName' } };
  prediction.decidingLine = nameOption.nameSpan.line;
  const name = getValue(document, SECTION, 'workload_name')!;
  if (!name.ok) return { prediction: { ...prediction, decision: 'nameUnreadable' } };
  if (!(WORKLOAD_NAMES as readonly string[]).includes(name.value)) return { prediction: { ...prediction, decision: 'nameNotAccepted' } };
  prediction.name = name.value as WorkloadName;
  prediction.decision = 'accepted';
  const has = (key: string) => hasOption(document, SECTION, key);
  try {
    if (has('command_path')) values.command = `${read(document, 'command_path')}/`;
    if (has('credString')) values.credString = read(document, 'credString');
    else if (!has('linux_user')) prediction.errors.push({ code: 505, certain: true });
    if (has('role')) values.role = read(document, 'role');
    if (has('enforceSlaveOnly')) values.enforceSlaveOnly = read(document, 'enforceSlaveOnly');
    if (has('ipc_folder')) values.ipcFolder = read(document, 'ipc_folder');
    if (has('timeout')) {
      const timeout = read(document, 'timeout');
      if (timeout !== '') values.timeout = timeout;
    }
    if (has('linux_user')) values.linuxUser = read(document, 'linux_user');
    if (has('dbnames')) values.dbnames = read(document, 'dbnames').split(';');
    if (has('customScriptEnabled')) {
      values.customScriptEnabled = read(document, 'customScriptEnabled');
      if (pythonInt(values.customScriptEnabled) === undefined) throw new ConfParserStopped(findOption(document, SECTION, 'customScriptEnabled'));
    }
    if (has('configuration_path')) values.configurationPath = read(document, 'configuration_path');
    values.logbackup = document.sections.has('logbackup');
  } catch (error) {
    if (!(error instanceof ConfParserStopped)) throw error;
    prediction.errors.push({ code: 501, certain: true });
    prediction.preSkipped = true;
    return { prediction, stoppedAt: error.option };
  }
  if (prediction.errors.length > 0) {
    prediction.preSkipped = true;
    return { prediction };
  }
  predictPreAndPost(prediction);
  return { prediction };
}

const isMysql = (name: WorkloadName) => name === 'mysql' || name === 'mariadb';

/** `pre()` then `post()` as far as the file alone decides them. */
function predictPreAndPost(prediction: WorkloadPrediction): void {
  const { values, errors } = prediction;
  const name = prediction.name!;
  const record = (code: WorkloadCode, certain = true) => errors.push({ code, certain });
  const serverLevel = values.dbnames.length === 0;
  if (values.role === 'master') {
    const enforce = pythonInt(values.enforceSlaveOnly);
    if (enforce === undefined) record(500);
    else if (enforce !== 0) record(502);
    else if (!values.configurationPath && serverLevel && isMysql(name) && values.ipcFolder === null) record(507);
  } else if (values.role === 'slave') {
    if (serverLevel) {
      if (!isMysql(name)) record(503);
      else if (values.ipcFolder === null) record(507);
    }
  } else record(502);
  // post
  if (values.role === 'master') {
    if (serverLevel && !values.configurationPath) {
      const ipcBased = values.ipcFolder !== null && values.ipcFolder !== '';
      if (ipcBased && !isMysql(name)) record(510);
      else if (isMysql(name) && !ipcBased) record(510);
    }
  } else if (values.role === 'slave') {
    if (serverLevel && !isMysql(name)) record(503);
  } else record(502);
}

function describeDecision(prediction: WorkloadPrediction, value?: string): string {
  switch (prediction.decision) {
    case 'absent':
      return l10n.t('no workload.conf: the agent uses VMSnapshotPluginHost.conf and the script config');
    case 'notParsed':
      return l10n.t('workload.conf cannot be parsed (line {0}): the agent ignores it and uses the script config', (prediction.decidingLine ?? 0) + 1);
    case 'noSection':
      return l10n.t('workload.conf has no [workload] section: the agent uses the script config');
    case 'noName':
      return l10n.t('workload.conf has no workload_name: the agent uses the script config');
    case 'nameUnreadable':
      return l10n.t('workload_name on line {0} cannot be read (a % in it): the agent uses the script config', (prediction.decidingLine ?? 0) + 1);
    case 'nameNotAccepted':
      return l10n.t('workload_name = {0} on line {1} is not mysql, mariadb, postgres or oracle: the agent uses the script config', value ?? '', (prediction.decidingLine ?? 0) + 1);
    case 'accepted':
      return l10n.t('workload_name = {0} on line {1} of workload.conf: the agent runs its {0} framework and ignores the script config', prediction.name!, (prediction.decidingLine ?? 0) + 1);
  }
}

export { describeDecision as describeWorkloadDecision };

/** Reads workload.conf as the agent does and says what it will do with it. */
export function analyzeWorkloadConf(text: string | undefined, file: string, environment: WorkloadEnvironment = {}): WorkloadAnalysis {
  const document = text === undefined ? undefined : parseIni(text);
  const { prediction, stoppedAt } = predictConf(document);
  const findings = new FileFindings(file);
  if (!document) return { prediction, diagnostics: [] };
  checkParseErrors(document, findings, l10n.t('The agent then ignores workload.conf, even a valid workload_name, and uses the script config.'));
  checkNamesAndValues('workload', document, findings, ['workload_name']);
  checkWorkloadName(document, prediction, findings);
  if (prediction.name) checkAcceptedWorkload(document, prediction, findings, stoppedAt, environment);
  return { prediction, diagnostics: findings.diagnostics, document };
}

function checkWorkloadName(document: IniDocument, prediction: WorkloadPrediction, findings: FileFindings): void {
  const option = findOption(document, SECTION, 'workload_name');
  if (!option || prediction.decision !== 'nameNotAccepted') return;
  const suggestion = didYouMean(option.value, WORKLOAD_NAMES);
  const quoted = /^(["']).*\1$/s.test(option.value);
  const message = option.value === ''
    ? l10n.t('workload_name is empty: the agent uses VMSnapshotScriptPluginConfig.json, not a database workload.')
    : quoted && suggestion
      ? l10n.t('workload_name is {0} with the quotes, which the agent does not accept: write {1} without quotes. Until then it silently uses the script config.', option.value, suggestion)
      : suggestion
        ? l10n.t('workload_name {0} is not accepted (exact, case-sensitive): did you mean {1}? Until then the agent silently uses the script config.', option.value, suggestion)
        : l10n.t('workload_name {0} is not one of mysql, mariadb, postgres, oracle: the agent silently uses the script config.', option.value);
  findings.add(valueRange(option), AgentFileCode.workloadNameNotAccepted, option.value === '' ? 'information' : 'warning', message, 'workloadName', { data: suggestion ? { suggestion } : {} });
}

const TEMPLATE_KEYS: Record<string, { agentCode?: number; message: () => string }> = {
  command_path: { message: () => l10n.t('command_path is present but empty: the agent appends "/" and runs /mysql, /psql or /sqlplus, which do not exist. Remove the line to use PATH, or give the client\'s folder.') },
  linux_user: { message: () => l10n.t('linux_user is present but empty: MySQL\'s "sudo -u  <client>" takes the client as the user name, and Oracle/PostgreSQL run "su -  -c", as root. Remove the line (root) or name the database user.') },
  role: { agentCode: 502, message: () => l10n.t('role is present but empty: the agent records 502 (FailedWorkloadInvalidRole) in pre and post. Write master or slave, or remove the line.') },
  enforceSlaveOnly: { agentCode: 500, message: () => l10n.t('enforceSlaveOnly is present but empty: int("") fails in pre, 500 (FailedWorkloadPreError), and nothing is quiesced. Write 0 or remove the line.') },
  customScriptEnabled: { agentCode: 501, message: () => l10n.t('customScriptEnabled is present but empty: int("") fails while the file is read, 501 (FailedWorkloadConfParsingError), and pre and post are skipped. Write 0 or remove the line.') },
};

function checkAcceptedWorkload(document: IniDocument, prediction: WorkloadPrediction, findings: FileFindings, stoppedAt: IniOption | undefined, environment: WorkloadEnvironment): void {
  const name = prediction.name!;
  const option = (key: string) => findOption(document, SECTION, key);
  const stoppedKey = stoppedAt?.key;
  if (stoppedAt) {
    const percent = stoppedAt.key !== 'customscriptenabled' || stoppedAt.value.includes('%');
    const message = percent
      ? l10n.t('{0} holds a % that Python 3\'s configparser cannot interpolate (write %% for a literal %): reading the file fails, 501 (FailedWorkloadConfParsingError), pre and post are skipped and the backup is only file-system consistent.', stoppedAt.name)
      : l10n.t('customScriptEnabled {0} is not an integer: reading the file fails, 501 (FailedWorkloadConfParsingError), pre and post are skipped and the backup is only file-system consistent.', stoppedAt.value);
    const template = stoppedAt.key === 'customscriptenabled' && stoppedAt.value === '';
    if (!template) findings.add(valueRange(stoppedAt), percent ? AgentFileCode.percentInValue : AgentFileCode.confParsing, 'error', message, 'confParsing', { agentCode: 501 });
  }
  for (const [key, rule] of Object.entries(TEMPLATE_KEYS)) {
    const found = option(key);
    if (!found || found.value !== '') continue;
    findings.add(spanRange(found.nameSpan), AgentFileCode.templateKeyEmpty, 'error', rule.message(), 'templateKeyEmpty', { ...(rule.agentCode ? { agentCode: rule.agentCode } : {}), data: { key: found.name } });
  }
  if (stoppedKey) return;
  const { values } = prediction;
  if (prediction.errors.some((error) => error.code === 505)) {
    findings.add(lineRange(document, prediction.decidingLine!), AgentFileCode.authorizationMissing, 'error', l10n.t('Neither credString nor linux_user is given: 505 (FailedWorkloadAuthorizationMissing), pre and post are skipped and the backup is only file-system consistent.'), 'authorization', { agentCode: 505 });
  }
  if (isMysql(name) && values.credString && option('credstring')) {
    findings.add(valueRange(option('credstring')!), AgentFileCode.credentialsLogged, 'warning', l10n.t('For {0} the agent logs the whole client command line, credString included, in the extension log, which it uploads. Prefer linux_user with a client option file (~/.my.cnf) and leave credString empty.', name), 'credentials');
  }
  if (option('dbnames')) {
    findings.add(spanRange(option('dbnames')!.nameSpan), AgentFileCode.dbnamesNothingQuiesced, 'error', l10n.t('With dbnames present, pre and post call functions that do nothing: no database is quiesced, yet the backup is reported application consistent. Remove dbnames.'), 'dbnames');
  }
  const role = option('role');
  if (role && role.value !== '' && values.role !== 'master' && values.role !== 'slave') {
    const suggestion = didYouMean(values.role, ['master', 'slave']);
    findings.add(valueRange(role), AgentFileCode.invalidRole, 'error', suggestion ? l10n.t('role {0} is not master or slave (case-sensitive): 502 (FailedWorkloadInvalidRole), nothing is quiesced. Did you mean {1}?', values.role, suggestion) : l10n.t('role {0} is not master or slave: 502 (FailedWorkloadInvalidRole), nothing is quiesced.', values.role), 'role', { agentCode: 502, data: suggestion ? { suggestion } : {} });
  } else if (values.role === 'slave' && !isMysql(name)) {
    findings.add(valueRange(role!), AgentFileCode.invalidWorkloadName, 'error', l10n.t('role slave exists only for MySQL and MariaDB: for {0} the agent records 503 (FailedWorkloadInvalidWorkloadName) and quiesces nothing.', name), 'slaveRole', { agentCode: 503 });
  }
  const enforce = option('enforceslaveonly');
  if (enforce && enforce.value !== '' && values.role === 'master') {
    const parsed = pythonInt(values.enforceSlaveOnly);
    if (parsed === undefined) findings.add(valueRange(enforce), AgentFileCode.invalidRole, 'error', l10n.t('enforceSlaveOnly {0} is not an integer: int() fails in pre, 500 (FailedWorkloadPreError).', enforce.value), 'enforceSlaveOnly', { agentCode: 500 });
    else if (parsed !== 0) findings.add(valueRange(enforce), AgentFileCode.invalidRole, 'error', l10n.t('enforceSlaveOnly is not 0 while role is master: 502 (FailedWorkloadInvalidRole), nothing is quiesced.'), 'enforceSlaveOnly', { agentCode: 502 });
  }
  const serverLevel = values.dbnames.length === 0;
  const ipc = option('ipc_folder');
  if (isMysql(name) && values.ipcFolder === null && serverLevel) {
    findings.add(lineRange(document, prediction.decidingLine!), AgentFileCode.ipcDirectoryMissing, 'error', l10n.t('{0} needs ipc_folder, a folder mysqld may write to (see secure_file_priv): without it pre records 507 (FailedWorkloadIPCDirectoryMissing) and post 510.', name), 'ipcMissing', { agentCode: 507 });
  } else if (isMysql(name) && ipc && values.ipcFolder === '') {
    findings.add(spanRange(ipc.nameSpan), AgentFileCode.ipcDirectoryMissing, 'error', l10n.t('ipc_folder is empty: the lock session writes azbackupIPC.txt to a relative path the agent never finds, so pre waits about 120 s and fails (509), and post reports 510.'), 'ipcEmpty', { agentCode: 509 });
  } else if (!isMysql(name) && ipc && values.ipcFolder !== '' && serverLevel && values.role === 'master') {
    findings.add(valueRange(ipc), AgentFileCode.ipcFolderNotUsed, 'error', l10n.t('ipc_folder is for MySQL/MariaDB only: for {0} post then always reports 510 (FailedWorkloadQuiescingTimeout), so every backup is only file-system consistent. Remove it.', name), 'ipcNotUsed', { agentCode: 510 });
  }
  if (name === 'postgres' && environment.postgresMajor !== undefined && environment.postgresMajor >= 15) {
    findings.add(valueRange(option('workload_name')!), AgentFileCode.postgresFunctionsRemoved, 'error', l10n.t('This VM has PostgreSQL {0}: its pre and post SQL call pg_start_backup/pg_stop_backup, removed in PostgreSQL 15. Pre is not checked, so backups are reported application consistent with no backup mode entered. Use the script config with pg_backup_start/pg_backup_stop instead.', environment.postgresMajor), 'postgres15', { data: { major: environment.postgresMajor } });
  }
  if (pythonInt(values.customScriptEnabled) === 1) {
    findings.add(valueRange(option('customscriptenabled')!), AgentFileCode.customScriptsMissing, 'error', l10n.t('customScriptEnabled 1 selects the extension\'s CustomScripts folder, which ships only customscript.sql: the pre/post SQL the agent runs is not there, and a copy you put inside the versioned extension folder is lost on upgrade.'), 'customScripts');
  }
  if (values.logbackup) {
    const header = document.headers.find((candidate) => candidate.name === 'logbackup')!;
    findings.add(spanRange(header.span), AgentFileCode.logBackupBroken, name === 'oracle' ? 'warning' : 'information', name === 'oracle' ? l10n.t('[logbackup] makes Oracle post add a cron job running OracleLogBackup.py, which fails to import as shipped; without crontabLocation a duplicate line is added after every backup.') : l10n.t('[logbackup] is read only for oracle.'), 'logbackup');
  }
}
