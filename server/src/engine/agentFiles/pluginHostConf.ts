import * as l10n from '@vscode/l10n';
import { AgentFileCode, CONFIG_VM_PATH, DiagnosticCode, HOST_CAP_DEFAULT_SECONDS } from '../codes';
import { silentFailureNote } from '../checks/messages';
import { findOption, getValue, hasOption, IniDocument, parseIni, pythonInt } from '../ini/configParser';
import type { EngineDiagnostic } from '../types';
import { checkNamesAndValues, checkParseErrors, FileFindings, lineRange, spanRange, valueRange } from './iniChecks';

/** Where the host conf the agent reads comes from (`PluginHost.pre_check`). */
export type HostConfSource = 'etcAzure' | 'extensionFolder' | 'shippedAssumed' | 'missing';

export interface HostPlugin {
  name: string;
  path: string;
  configPath: string;
  /** Zero-based line of pluginConfigPath<i>. */
  configLine: number;
}

export interface HostConfPrediction {
  source: HostConfSource;
  /** 304, 313 or 314 when the agent stops at the host conf (then the backup is file-system consistent). */
  agentCode?: 304 | 313 | 314;
  /** `min(timeoutInSeconds, 1800)`: the cap on every script timeout. */
  timeoutCapSeconds: number;
  numberOfPlugins: number;
  plugins: HostPlugin[];
  /** The script config the agent opens: plugin 0's, the one analysed. */
  pluginConfigVmPath?: string;
}

export interface HostConfAnalysis {
  prediction: HostConfPrediction;
  diagnostics: EngineDiagnostic[];
  document?: IniDocument;
}

/** What the shipped `main/VMSnapshotPluginHost.conf` says, which the agent reads when /etc/azure has none. */
export const SHIPPED_HOST_CONF: HostConfPrediction = {
  source: 'shippedAssumed',
  timeoutCapSeconds: HOST_CAP_DEFAULT_SECONDS,
  numberOfPlugins: 1,
  plugins: [{ name: 'ScriptRunner', path: '/etc/azure', configPath: CONFIG_VM_PATH, configLine: 0 }],
  pluginConfigVmPath: CONFIG_VM_PATH,
};

const SECTION = 'pre_post';

/** `oct(st_mode)[-3:]`: group and other digits must be 0 or 4, and the owner root (314). */
export function hostConfModeProblem(mode: number, uid: number): 'mode' | 'owner' | undefined {
  const group = (mode >> 3) & 7;
  const other = mode & 7;
  if (![0, 4].includes(group) || ![0, 4].includes(other)) return 'mode';
  return uid === 0 ? undefined : 'owner';
}

/** `PluginHost.load_modules` on the host conf's text: what it reads, and where it raises (304). */
function predictLoad(document: IniDocument, source: HostConfSource): { prediction: HostConfPrediction; failedKey?: string; failure?: 'interpolation' | 'int' | 'missing' } {
  const prediction: HostConfPrediction = { source, timeoutCapSeconds: HOST_CAP_DEFAULT_SECONDS, numberOfPlugins: 0, plugins: [] };
  if (document.error) return { prediction: { ...prediction, agentCode: 304 } };
  const fail = (failedKey: string, failure: 'interpolation' | 'int' | 'missing') => ({ prediction: { ...prediction, agentCode: 304 as const }, failedKey, failure });
  const readInt = (key: string): number | 'interpolation' | 'int' => {
    const value = getValue(document, SECTION, key)!;
    if (!value.ok) return 'interpolation';
    return pythonInt(value.value) ?? 'int';
  };
  if (hasOption(document, SECTION, 'timeoutInSeconds')) {
    const timeout = readInt('timeoutInSeconds');
    if (typeof timeout === 'string') return fail('timeoutInSeconds', timeout);
    prediction.timeoutCapSeconds = Math.min(timeout, HOST_CAP_DEFAULT_SECONDS);
  }
  if (hasOption(document, SECTION, 'numberOfPlugins')) {
    const count = readInt('numberOfPlugins');
    if (typeof count === 'string') return fail('numberOfPlugins', count);
    prediction.numberOfPlugins = count;
  }
  // The agent re-reads index 0 while plugin 0 fails its checks; the entries it may read are 0…n-1.
  for (let index = 0; index < prediction.numberOfPlugins; index++) {
    const entry: Partial<HostPlugin> = {};
    for (const [field, key] of [['name', `pluginName${index}`], ['path', `pluginPath${index}`], ['configPath', `pluginConfigPath${index}`]] as const) {
      const value = getValue(document, SECTION, key);
      if (!value) return fail(key, 'missing');
      if (!value.ok) return fail(key, 'interpolation');
      entry[field] = value.value;
    }
    entry.configLine = findOption(document, SECTION, `pluginConfigPath${index}`)!.nameSpan.line;
    prediction.plugins.push(entry as HostPlugin);
  }
  prediction.pluginConfigVmPath = prediction.plugins[0]?.configPath;
  return { prediction };
}

export interface HostConfFile {
  text: string;
  source: 'etcAzure' | 'extensionFolder';
  /** Mode and owner, when they are the real ones the agent will see. */
  mode?: number;
  uid?: number;
}

/** Reads the host conf as `PluginHost.pre_check` and `load_modules` do and says what follows. */
export function analyzePluginHostConf(input: HostConfFile, file: string, vmPath: string): HostConfAnalysis {
  const document = parseIni(input.text);
  const { prediction, failedKey, failure } = predictLoad(document, input.source);
  const findings = new FileFindings(file);
  const hostError = (range: EngineDiagnostic['range'], message: string, agentCode: 304 | 314, rule: string) =>
    findings.add(range, DiagnosticCode.incorrectPluginhostFile, 'error', `${message} ${silentFailureNote()}`, rule, { agentCode });
  const modeProblem = input.mode !== undefined && input.uid !== undefined ? hostConfModeProblem(input.mode, input.uid) : undefined;
  if (modeProblem) {
    prediction.agentCode = 314;
    const message = modeProblem === 'mode'
      ? l10n.t('{0} has mode {1}: the agent wants group and other permissions of 0 or 4, such as 644 or 600 (314). This rule is the host conf\'s own: the script config must be 600, the scripts 700.', vmPath, input.mode!.toString(8).padStart(3, '0'))
      : l10n.t('{0} is owned by uid {1}, not root (314).', vmPath, input.uid!);
    hostError(lineRange(document, 0), message, 314, modeProblem === 'mode' ? 'hostConfMode' : 'hostConfOwner');
  }
  checkParseErrors(document, findings, `${l10n.t('The agent reports 304 and runs no script.')} ${silentFailureNote()}`, DiagnosticCode.incorrectPluginhostFile, 304);
  checkNamesAndValues('hostConf', document, findings);
  if (document.error) return { prediction, diagnostics: findings.diagnostics, document };
  const failedOption = failedKey ? findOption(document, SECTION, failedKey) : undefined;
  if (failedKey && failure === 'missing') {
    hostError(lineRange(document, findOption(document, SECTION, 'numberOfPlugins')?.nameSpan.line ?? 0), l10n.t('numberOfPlugins is {0} but {1} is missing: the agent stops with 304 while loading plugins.', prediction.numberOfPlugins, failedKey), 304, 'pluginMissing');
  } else if (failedOption && failure === 'interpolation') {
    hostError(valueRange(failedOption), l10n.t('{0} holds a % that Python 3\'s configparser cannot interpolate (write %%): the agent reports 304.', failedOption.name), 304, 'percent');
  } else if (failedOption) {
    hostError(valueRange(failedOption), l10n.t('{0} is not an integer: the agent reports 304.', failedOption.name), 304, 'notInteger');
  }
  if (failedKey) return { prediction, diagnostics: findings.diagnostics, document };

  const timeout = findOption(document, SECTION, 'timeoutInSeconds');
  const timeoutValue = pythonInt(timeout?.value);
  if (timeout && timeoutValue !== undefined && timeoutValue > HOST_CAP_DEFAULT_SECONDS) {
    findings.add(valueRange(timeout), DiagnosticCode.timeoutCapped, 'warning', l10n.t('The agent takes min({0}, 1800): this can only lower the cap, so it is 1800 s.', timeoutValue), 'hostCap');
  } else if (timeout && timeoutValue !== undefined && timeoutValue <= 0) {
    findings.add(valueRange(timeout), AgentFileCode.valueOutOfRange, 'error', l10n.t('The agent accepts a cap of {0} s: every script timeout becomes {0} s, so a script still running at the first poll times out.', timeoutValue), 'hostCapNotPositive');
  }
  if (prediction.numberOfPlugins <= 0) {
    const count = findOption(document, SECTION, 'numberOfPlugins');
    const misspelled = [...document.sections.keys()].find((name) => name !== SECTION && name.toLowerCase() === SECTION);
    const message = misspelled
      ? l10n.t('The agent reads [pre_post], not [{0}] (section names are case-sensitive): it loads no plugin, runs no script, and reports the backup application consistent.', misspelled)
      : count
        ? l10n.t('numberOfPlugins {0}: the agent loads no plugin, runs no script, and still reports the backup application consistent.', count.value)
        : l10n.t('No numberOfPlugins in [pre_post]: the agent loads no plugin, runs no script, and still reports the backup application consistent. The shipped file has numberOfPlugins: 1.');
    findings.add(count ? valueRange(count) : lineRange(document, 0), AgentFileCode.noPluginsRun, 'error', message, 'noPlugins', { data: misspelled ? { section: misspelled } : {} });
  }
  prediction.plugins.forEach((plugin, index) => {
    if (plugin.name === 'ScriptRunner') return;
    const option = findOption(document, SECTION, `pluginName${index}`)!;
    findings.add(valueRange(option), AgentFileCode.pluginNotScriptRunner, 'error', l10n.t('The agent imports {0} as root from {1}/{0}.py (or anywhere on Python\'s path), with no permission check on it: arbitrary Python. Only ScriptRunner is the agent\'s own.', plugin.name, plugin.path), 'plugin', { data: { plugin: plugin.name } });
  });
  if (prediction.plugins.length > 1) {
    const option = findOption(document, SECTION, 'numberOfPlugins')!;
    findings.add(valueRange(option), AgentFileCode.noPluginsRun, 'warning', l10n.t('With {0} plugins, a failing plugin 0 is re-checked {0} times and plugin 1 is never read; only the last result counts.', prediction.plugins.length), 'manyPlugins');
  }
  for (const plugin of prediction.plugins) {
    if (!plugin.configPath.startsWith('/')) {
      findings.add(spanRange(findOption(document, SECTION, 'pluginConfigPath0')!.valueSpan), DiagnosticCode.configIgnored, 'warning', l10n.t('{0} is relative: the agent resolves it against the versioned extension folder, which changes on every upgrade.', plugin.configPath), 'relativeConfig');
    }
  }
  return { prediction, diagnostics: findings.diagnostics, document };
}
