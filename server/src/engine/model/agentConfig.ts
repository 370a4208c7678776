import { agentFailure, AgentFailureKind, PredictedFailure, Side } from '../agentFailures';
import { AGENT_DEFAULT_POLL_SECONDS, AGENT_DEFAULT_TIMEOUT_SECONDS, AgentStage, DiagnosticCode } from '../codes';
import { silentFailureNote } from '../checks/messages';
import type { DiagnosticSink } from '../checks/sink';
import * as l10n from '@vscode/l10n';
import type { ConfigDocument, ConfigProperty, JsonNode } from '../parse/configDocument';
import type { EffectiveValues } from './effective';
import { jsonTypeName, pyInt, pyNumber, pyRepr, pyStr, pyTruthy, pyTypeName, PyValue, toPyValue } from './pythonValues';

export type { PredictedFailure } from '../agentFailures';

export interface ScriptLocation {
  /** The path exactly as the agent will pass it to os.path.isfile. */
  vmPath: string;
  node: JsonNode;
}

export interface AgentConfigModel {
  /** The agent's `configLoaded`: it parsed the file and found both script locations. */
  loaded: boolean;
  effective: EffectiveValues | null;
  failures: PredictedFailure[];
  preScript?: ScriptLocation;
  postScript?: ScriptLocation;
  /** The keys whose values got an agent-specific finding; generic schema errors skip these. */
  explainedKeys: Set<string>;
}

interface Context {
  document: ConfigDocument;
  sink: DiagnosticSink;
  failures: PredictedFailure[];
  explainedKeys: Set<string>;
}

function valueOf(context: Context, key: string): { property: ConfigProperty; node: JsonNode; value: PyValue } | undefined {
  const property = context.document.effective.get(key);
  const node = property?.valueNode;
  if (!property || !node) return undefined;
  const value = toPyValue(node, context.document.text);
  return value && { property, node, value };
}

function fail(context: Context, kind: AgentFailureKind, side: Side = 'pre'): void {
  const { agentCode, stage } = agentFailure(kind, side);
  context.failures.push({ agentCode, stage });
}

function runCrashCode(side: Side) {
  return agentFailure('runThreadCrash', side).agentCode;
}

/** `timeoutInSeconds`: `min(value, cap)` at load time, a crash for anything Python cannot compare. */
function interpretTimeout(context: Context, hostCap: number): number | null | undefined {
  const entry = valueOf(context, 'timeoutInSeconds');
  if (!entry) return undefined;
  const { node, value } = entry;
  context.explainedKeys.add('timeoutInSeconds');
  const number = pyNumber(value);
  if (number === undefined) {
    context.sink.atNode(node, {
      code: DiagnosticCode.incorrectPluginhostFile,
      severity: 'error',
      message: `${l10n.t('timeoutInSeconds is a {0}: the agent\'s loader crashes comparing it with its cap (304 FailedPrepostPluginhostConfigParsing) and no script runs. Write a number of seconds.', pyTypeName(value))} ${silentFailureNote()}`,
      agentCode: agentFailure('loaderCrash').agentCode,
      data: { rule: 'timeoutType' },
    });
    fail(context, 'loaderCrash');
    return null;
  }
  if (value.kind === 'bool') {
    context.sink.atNode(node, {
      code: DiagnosticCode.invalidValue,
      severity: 'warning',
      message: l10n.t('timeoutInSeconds is a boolean: Python counts it as {0} s. Write a number of seconds.', number),
      data: { rule: 'timeoutBoolean' },
    });
  }
  if (Number.isNaN(number)) {
    // Every comparison with NaN is false: the runner's own timeout never fires, so the scripts
    // run as long as they like and only the plugin host's wait at its cap ends a hang.
    context.sink.atNode(node, {
      code: DiagnosticCode.timeoutNeverFires,
      severity: 'warning',
      message: l10n.t('timeoutInSeconds is NaN: every comparison with it is false, so the agent never times the scripts out. Scripts that exit 0 still succeed; a script that hangs is given up only by the plugin host after {0} s, reported as 310/311. Write a number of seconds.', hostCap),
      data: { rule: 'timeoutNaN' },
    });
    return null;
  }
  if (number <= 0) {
    context.sink.atNode(node, {
      code: DiagnosticCode.preScriptTimeout,
      severity: 'error',
      message: l10n.t('timeoutInSeconds is {0}: the agent times the pre-script out at once (308) and the post-script too (309). Use a positive number of seconds, at most {1}.', value.kind === 'float' ? pyStr(value) : number, hostCap),
      agentCode: agentFailure('scriptTimeout').agentCode,
      data: { rule: 'timeoutNotPositive' },
    });
    fail(context, 'scriptTimeout');
    return Number.isFinite(number) ? number : null;
  }
  if (number > hostCap) {
    context.sink.atNode(node, {
      code: DiagnosticCode.timeoutCapped,
      severity: 'warning',
      message: l10n.t('timeoutInSeconds is over the plugin host\'s cap: the agent uses {0} s instead.', hostCap),
      data: { rule: 'timeoutCapped', cap: hostCap },
    });
    return hostCap;
  }
  return number;
}

/** `ScriptsExecutionPollTimeSeconds`: used only when `int(value)` is 1 to 5. */
function interpretPoll(context: Context): { seconds: number; loadFailure?: AgentFailureKind } {
  const entry = valueOf(context, 'ScriptsExecutionPollTimeSeconds');
  if (!entry) return { seconds: AGENT_DEFAULT_POLL_SECONDS };
  const { node, value } = entry;
  context.explainedKeys.add('ScriptsExecutionPollTimeSeconds');
  const converted = pyInt(value);
  if (!converted.ok) {
    const kind: AgentFailureKind = converted.error === 'ValueError' ? 'configParse' : 'loaderCrash';
    const { agentCode, diagnostic } = agentFailure(kind);
    context.sink.atNode(node, {
      code: diagnostic,
      severity: 'error',
      message: `${l10n.t('ScriptsExecutionPollTimeSeconds is {0}, which Python\'s int() rejects: the agent cannot load the config ({1}). Write an integer from 1 to 5.', pyRepr(value), agentCode)} ${silentFailureNote()}`,
      agentCode,
      data: { rule: 'pollNotInteger' },
    });
    return { seconds: AGENT_DEFAULT_POLL_SECONDS, loadFailure: kind };
  }
  const seconds = converted.value;
  if (seconds < 1 || seconds > 5) {
    context.sink.atNode(node, {
      code: DiagnosticCode.pollIgnored,
      severity: 'warning',
      message: l10n.t('ScriptsExecutionPollTimeSeconds must be an integer from 1 to 5: the agent silently ignores {0} and polls every {1} s.', pyRepr(value), AGENT_DEFAULT_POLL_SECONDS),
      data: { rule: 'pollOutOfRange' },
    });
    return { seconds: AGENT_DEFAULT_POLL_SECONDS };
  }
  if (value.kind !== 'int') {
    context.sink.atNode(node, {
      code: DiagnosticCode.pollTruncated,
      severity: 'warning',
      message: l10n.t('ScriptsExecutionPollTimeSeconds is {0}: the agent converts it with int() and polls every {1} s. Write the integer {1}.', pyRepr(value), seconds),
      data: { rule: 'pollConverted', value: seconds },
    });
  }
  return { seconds };
}

function interpretLocation(context: Context, side: Side): ScriptLocation | undefined {
  const key = side === 'pre' ? 'preScriptLocation' : 'postScriptLocation';
  const entry = valueOf(context, key);
  if (!entry) return undefined;
  context.explainedKeys.add(key);
  if (entry.value.kind !== 'str') {
    // The loader logs and stats the value before any script check: a non-string crashes it.
    const crash = agentFailure('loaderCrash');
    context.sink.atNode(entry.node, {
      code: crash.diagnostic,
      severity: 'error',
      message: `${l10n.t('{0} is a {1}, not a path: the agent\'s loader crashes on it ({2} FailedPrepostPluginhostConfigParsing) before it looks for any script. Write the script\'s absolute path as a string.', key, pyTypeName(entry.value), crash.agentCode)} ${silentFailureNote()}`,
      agentCode: crash.agentCode,
      data: { rule: 'locationType' },
    });
    fail(context, 'loaderCrash');
    return undefined;
  }
  // A relative path is judged with the files: it resolves against the agent's working
  // directory, its extension folder, which only a VM tree can show.
  return { vmPath: entry.value.value, node: entry.node };
}

/** What `for param in params: argv.append(str(param))` makes of the value. */
function interpretParams(context: Context, side: Side, location: ScriptLocation | undefined): string[] | null {
  const key = side === 'pre' ? 'preScriptParams' : 'postScriptParams';
  const head = ['sh', location?.vmPath ?? ''];
  const entry = valueOf(context, key);
  if (!entry) return head;
  context.explainedKeys.add(key);
  const { node, value } = entry;
  const crash = (message: string, rule: string): null => {
    context.sink.atNode(node, {
      code: DiagnosticCode.agentRunThreadCrash,
      severity: 'error',
      message,
      agentCode: runCrashCode(side),
      data: { rule },
    });
    fail(context, 'runThreadCrash', side);
    return null;
  };
  let args: string[];
  switch (value.kind) {
    case 'list':
      args = value.items.map(pyStr);
      (node.children ?? []).forEach((itemNode, index) => {
        const item = value.items[index];
        if (!item) return;
        if (item.kind === 'str' && item.value === '') {
          context.sink.atNode(itemNode, {
            code: DiagnosticCode.emptyParam,
            severity: 'hint',
            message: l10n.t('"" is passed as an empty argument: the script sees one more argument, an empty one.'),
            data: { rule: 'emptyParam' },
          });
        } else if (item.kind !== 'str') {
          context.sink.atNode(itemNode, {
            code: DiagnosticCode.paramConverted,
            severity: 'warning',
            message: l10n.t('This {0} is passed through Python\'s str(): the script receives "{1}". Write the argument as a string.', pyTypeName(item), pyStr(item)),
            data: { rule: 'paramConverted', replacement: pyStr(item) },
          });
        }
      });
      break;
    case 'str':
      args = [...value.value];
      context.sink.atNode(node, {
        code: DiagnosticCode.paramsSplit,
        severity: 'error',
        message: l10n.t('{0} is a string, so the agent passes each character as its own argument ({1} arguments). Write a list: ["{2}"].', key, args.length, value.value),
        data: { rule: 'paramsString', value: value.value },
      });
      break;
    case 'dict':
      args = value.entries.map(([entryKey]) => entryKey);
      context.sink.atNode(node, {
        code: DiagnosticCode.invalidValue,
        severity: 'warning',
        message: l10n.t('{0} is an object: the agent passes only its keys as arguments. Write a list of strings.', key),
        data: { rule: 'paramsObject' },
      });
      break;
    default:
      return crash(
        l10n.t('{0} is a {1}: the agent cannot iterate it, its run thread crashes and the backup reports a plugin host timeout ({2}). Write a list of strings.', key, pyTypeName(value), runCrashCode(side)),
        'paramsType',
      );
  }
  if (args.some((arg) => arg.includes('\u0000'))) {
    return crash(l10n.t('An argument in {0} contains a NUL character: starting the script fails, the agent\'s run thread crashes ({1}).', key, runCrashCode(side)), 'paramsNul');
  }
  return [...head, ...args];
}

function interpretRetries(context: Context, side: Side): void {
  const key = side === 'pre' ? 'preScriptNoOfRetries' : 'postScriptNoOfRetries';
  const entry = valueOf(context, key);
  if (!entry) return;
  context.explainedKeys.add(key);
  const number = pyNumber(entry.value);
  if (number === undefined) {
    context.sink.atNode(entry.node, {
      code: DiagnosticCode.agentRunThreadCrash,
      severity: 'error',
      message: l10n.t('{0} is a {1}: when the script fails, the agent\'s retry check crashes its run thread and the failure is reported as a plugin host timeout ({2}). Remove the key: retries have no effect anyway.', key, pyTypeName(entry.value), runCrashCode(side)),
      agentCode: runCrashCode(side),
      data: { rule: 'retriesType', key },
    });
  } else if (number !== 0) {
    context.sink.atNode(entry.node, {
      code: DiagnosticCode.retriesIgnored,
      severity: 'warning',
      message: l10n.t('{0} has no effect: the agent never runs a failed script again, it re-checks the same finished process. A script that fails once is reported failed.', key),
      data: { rule: 'retriesIgnored', key },
    });
  }
}

/** `continueBackupOnFailure` is compared with True/False, so only booleans and 0/1 behave. */
function interpretContinueOnFailure(context: Context): boolean {
  const entry = valueOf(context, 'continueBackupOnFailure');
  if (!entry) return true;
  const { node, value } = entry;
  if (value.kind === 'bool') return value.value;
  context.explainedKeys.add('continueBackupOnFailure');
  const number = pyNumber(value);
  if (number === 0 || number === 1) {
    context.sink.atNode(node, {
      code: DiagnosticCode.booleanAsOther,
      severity: 'warning',
      message: l10n.t('continueBackupOnFailure is the number {0}, which the agent treats as {1}. Write {1}.', pyStr(value), number === 1 ? 'true' : 'false'),
      data: { rule: 'booleanAsNumber', replacement: number === 1 },
    });
    return number === 1;
  }
  context.sink.atNode(node, {
    code: DiagnosticCode.backupFails,
    severity: 'error',
    message:
      value.kind === 'str'
        ? l10n.t('continueBackupOnFailure is the string {0}: the agent\'s plugin host crashes on it and the whole backup fails, without running the post-script. Write true or false without quotes.', pyRepr(value))
        : l10n.t('continueBackupOnFailure is {0}, neither true nor false: the backup fails. Write true or false.', pyRepr(value)),
    data: value.kind === 'str' && /^(true|false)$/i.test(value.value) ? { rule: 'booleanAsString', replacement: value.value.toLowerCase() === 'true' } : { rule: 'notBoolean' },
  });
  return false;
}

/** `fsFreezeEnabled` is tested for truthiness, whatever its type. */
function interpretFsFreeze(context: Context): boolean {
  const entry = valueOf(context, 'fsFreezeEnabled');
  if (!entry) return true;
  const { node, value } = entry;
  if (value.kind === 'bool') return value.value;
  context.explainedKeys.add('fsFreezeEnabled');
  const truthy = pyTruthy(value);
  const replacement = value.kind === 'str' && /^(true|false)$/i.test(value.value) ? value.value.toLowerCase() === 'true' : truthy;
  context.sink.atNode(node, {
    code: DiagnosticCode.booleanAsOther,
    severity: 'warning',
    message:
      value.kind === 'none'
        ? l10n.t('fsFreezeEnabled is null, which the agent reads as false: no file-system freeze, so the snapshot is only crash-consistent. Write true or false.')
        : l10n.t('fsFreezeEnabled is {0}, not a boolean: the agent tests its truthiness and reads it as {1}. Write true or false.', pyRepr(value), truthy ? 'true' : 'false'),
    data: { rule: value.kind === 'str' ? 'booleanAsString' : 'booleanAsOther', replacement },
  });
  return truthy;
}

function interpretPluginName(context: Context): void {
  const entry = valueOf(context, 'pluginName');
  if (!entry || entry.value.kind === 'str') return;
  context.explainedKeys.add('pluginName');
  context.sink.atNode(entry.node, {
    code: DiagnosticCode.agentRunThreadCrash,
    severity: 'error',
    message: l10n.t('pluginName is a {0}: the agent joins it to a log message, its run thread crashes and the backup reports a plugin host timeout (310). Write "ScriptRunner".', pyTypeName(entry.value)),
    agentCode: runCrashCode('pre'),
    data: { rule: 'pluginNameType' },
  });
  fail(context, 'runThreadCrash');
}

function reportNonFiniteLiterals(context: Context): void {
  for (const literal of context.document.strict.nonFiniteLiterals) {
    context.sink.atOffset(literal.offset, literal.length, {
      code: DiagnosticCode.nonFiniteNumber,
      severity: 'information',
      message: l10n.t('{0} is not standard JSON: Python\'s parser accepts it, most other tools do not.', context.document.text.slice(literal.offset, literal.offset + literal.length)),
      data: { rule: 'nonFinite' },
    });
  }
}

/**
 * The loader's KeyError handler joins pluginName to its message: a non-string name crashes the
 * handler itself, so a missing key is then reported as 304, not 305.
 */
function pluginNameCrashesErrorHandler(context: Context): boolean {
  const entry = valueOf(context, 'pluginName');
  if (!entry || entry.value.kind === 'str') return false;
  const crash = agentFailure('loaderCrash');
  context.sink.atNode(entry.node, {
    code: crash.diagnostic,
    severity: 'error',
    message: `${l10n.t('pluginName is a {0} and a required key is missing: the agent\'s loader crashes while reporting the missing key ({1} FailedPrepostPluginhostConfigParsing). Write "ScriptRunner".', pyTypeName(entry.value), crash.agentCode)} ${silentFailureNote()}`,
    agentCode: crash.agentCode,
    data: { rule: 'pluginNameCrashesLoader' },
  });
  return true;
}

function reportMissingRequired(context: Context, key: string): void {
  const root = context.document.root;
  context.sink.atOffset(root?.offset ?? 0, root ? 1 : 0, {
    code: DiagnosticCode.incorrectJsonConfigFile,
    severity: 'error',
    message: `${l10n.t('The required key "{0}" is missing: the agent cannot load the config (305).', key)} ${silentFailureNote()}`,
    agentCode: 305,
    data: { rule: 'missingKey', key },
  });
}

/**
 * Follows the agent's `get_config` and run threads step by step, predicting what each value
 * becomes and where the agent stops. `parsed` says whether json.load succeeds.
 */
export function interpretConfig(document: ConfigDocument, sink: DiagnosticSink, parsed: boolean, hostCap: number): AgentConfigModel {
  const context: Context = { document, sink, failures: [], explainedKeys: new Set() };
  const model: AgentConfigModel = { loaded: false, effective: null, failures: context.failures, explainedKeys: context.explainedKeys };
  reportNonFiniteLiterals(context);
  if (!parsed) fail(context, 'configParse');

  const root = document.root;
  if (document.strict.topLevelType && document.strict.topLevelType !== 'object') {
    sink.atOffset(root?.offset ?? 0, root?.length ?? 0, {
      code: DiagnosticCode.incorrectJsonConfigFile,
      severity: 'error',
      message: `${l10n.t('The config must be a JSON object; a top-level {0} crashes the agent\'s loader (304).', jsonTypeName(document.strict.topLevelType))} ${silentFailureNote()}`,
      agentCode: agentFailure('loaderCrash').agentCode,
      data: { rule: 'notObject' },
    });
    if (parsed) fail(context, 'loaderCrash');
    return model;
  }
  if (root?.type !== 'object') return model;

  // The order below is get_config's: a crash on timeoutInSeconds comes before a missing key.
  const timeout = interpretTimeout(context, hostCap);
  const preScript = interpretLocation(context, 'pre');
  const postScript = interpretLocation(context, 'post');
  model.preScript = preScript;
  model.postScript = postScript;
  // A key written with single quotes or none is reported as badly quoted, not also as missing.
  const missing = ['preScriptLocation', 'postScriptLocation'].filter((key) => !document.effective.has(key) && !document.strict.topLevelKeys.includes(key));
  for (const key of missing) reportMissingRequired(context, key);
  if (missing.length > 0) fail(context, pluginNameCrashesErrorHandler(context) ? 'loaderCrash' : 'configParse');
  const poll = interpretPoll(context);
  if (poll.loadFailure) fail(context, poll.loadFailure);
  interpretPluginName(context);
  const preArgv = interpretParams(context, 'pre', preScript);
  const postArgv = interpretParams(context, 'post', postScript);
  interpretRetries(context, 'pre');
  interpretRetries(context, 'post');
  const continueBackupOnFailure = interpretContinueOnFailure(context);
  const fsFreezeEnabled = interpretFsFreeze(context);

  const loadFailed = context.failures.some((failure) => failure.stage <= AgentStage.configLoad);
  if (loadFailed) return model;

  const timeoutInSeconds = timeout === undefined ? AGENT_DEFAULT_TIMEOUT_SECONDS : timeout;
  if (timeout === undefined) {
    sink.atOffset(root.offset, 1, {
      code: DiagnosticCode.timeoutDefault,
      severity: 'information',
      message: l10n.t('No timeoutInSeconds: the agent gives the scripts {0} s (not the 30 s the documentation says).', AGENT_DEFAULT_TIMEOUT_SECONDS),
      data: { rule: 'timeoutDefault' },
    });
  }
  let timeoutLimitSeconds: number | null = null;
  if (timeoutInSeconds !== null && timeoutInSeconds > 0) {
    timeoutLimitSeconds = Math.ceil(timeoutInSeconds / poll.seconds) * poll.seconds;
    const timeoutEntry = document.effective.get('timeoutInSeconds')?.valueNode;
    if (timeoutEntry && timeoutLimitSeconds !== timeoutInSeconds) {
      sink.atNode(timeoutEntry, {
        code: DiagnosticCode.timeoutRounded,
        severity: 'information',
        message: l10n.t('The agent checks the scripts every {0} s, so they really get {1} s, not {2} s.', poll.seconds, timeoutLimitSeconds, timeoutInSeconds),
        data: { rule: 'timeoutRounded' },
      });
    }
  }
  model.loaded = true;
  model.effective = {
    timeoutInSeconds,
    pollSeconds: poll.seconds,
    timeoutLimitSeconds,
    hostCapSeconds: hostCap,
    preScriptNoOfRetries: 0,
    postScriptNoOfRetries: 0,
    continueBackupOnFailure,
    fsFreezeEnabled,
    preScriptArgv: preArgv,
    postScriptArgv: postArgv,
  };
  return model;
}
