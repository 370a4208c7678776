import { AGENT_DEFAULT_POLL_SECONDS, AGENT_DEFAULT_TIMEOUT_SECONDS, HOST_CAP_DEFAULT_SECONDS } from '../codes';
import * as l10n from '@vscode/l10n';

export type KeyValueKind = 'string' | 'path' | 'number' | 'integer' | 'boolean' | 'stringArray';

/** What the editor needs to know of one key the agent reads: its docs, default and snippet. */
export interface ConfigKeyInfo {
  key: string;
  kind: KeyValueKind;
  required: boolean;
  /** The agent's default when the key is absent (not the documentation's). */
  agentDefault?: unknown;
  /**
   * The value written when the key is added (the skeleton, "add the key" fixes), where it is not
   * the agent's default: the script paths users start from.
   */
  suggested?: unknown;
  /** Value inserted by completion, as JSON text with snippet placeholders (`$1` only). */
  snippet: string;
  /** Markdown, localized when called. */
  describe(): string;
}

export const CONFIG_KEYS: readonly ConfigKeyInfo[] = [
  {
    key: 'pluginName',
    kind: 'string',
    required: false,
    agentDefault: 'ScriptRunner',
    snippet: '"${1:ScriptRunner}"',
    describe: () => l10n.t('Name of the plugin. Leave it as `ScriptRunner`; the agent only logs it, and anything but a string crashes its run thread.'),
  },
  {
    key: 'preScriptLocation',
    kind: 'path',
    required: true,
    suggested: '/etc/azure/pre-script.sh',
    snippet: '"${1:/etc/azure/pre-script.sh}"',
    describe: () =>
      l10n.t('**Required.** Absolute path of the script the agent runs before the snapshot, as `sh <path> <params…>` (the shebang line is ignored). The file must be owned by root with no group or other permissions (700).'),
  },
  {
    key: 'postScriptLocation',
    kind: 'path',
    required: true,
    suggested: '/etc/azure/post-script.sh',
    snippet: '"${1:/etc/azure/post-script.sh}"',
    describe: () =>
      l10n.t('**Required.** Absolute path of the script the agent runs after the snapshot, even when the pre-script failed or timed out. The file must be owned by root with no group or other permissions (700).'),
  },
  {
    key: 'preScriptParams',
    kind: 'stringArray',
    required: false,
    agentDefault: [],
    snippet: '[$1]',
    describe: () => l10n.t('Arguments passed to the pre-script, one per element, each through Python\'s `str()`. Use a list of strings: a string is split into one argument per character.'),
  },
  {
    key: 'postScriptParams',
    kind: 'stringArray',
    required: false,
    agentDefault: [],
    snippet: '[$1]',
    describe: () => l10n.t('Arguments passed to the post-script, one per element, each through Python\'s `str()`. Use a list of strings: a string is split into one argument per character.'),
  },
  {
    key: 'preScriptNoOfRetries',
    kind: 'integer',
    required: false,
    agentDefault: 0,
    snippet: '${1:0}',
    describe: () => l10n.t('Meant as the number of re-runs after a failure, but the agent never runs the script again: any value has no effect.'),
  },
  {
    key: 'postScriptNoOfRetries',
    kind: 'integer',
    required: false,
    agentDefault: 0,
    snippet: '${1:0}',
    describe: () => l10n.t('Meant as the number of re-runs after a failure, but the agent never runs the script again: any value has no effect.'),
  },
  {
    key: 'timeoutInSeconds',
    kind: 'number',
    required: false,
    agentDefault: AGENT_DEFAULT_TIMEOUT_SECONDS,
    // Written explicitly, so that nobody relies on a default the documentation gets wrong.
    suggested: 30,
    snippet: '${1:30}',
    describe: () =>
      l10n.t('One time limit for the whole script run, in seconds. The agent uses {0} s when the key is absent (the documentation says 30), caps it at {1} s, and checks it every poll interval, so the real limit is rounded up to a multiple of the poll time. A script that times out is never killed.', AGENT_DEFAULT_TIMEOUT_SECONDS, HOST_CAP_DEFAULT_SECONDS),
  },
  {
    key: 'continueBackupOnFailure',
    kind: 'boolean',
    required: false,
    agentDefault: true,
    snippet: '${1|true,false|}',
    describe: () => l10n.t('When a script fails: `true` falls back to a file-system-consistent backup, `false` fails the backup. Use a real boolean: the string `"false"` crashes the agent and the whole backup fails.'),
  },
  {
    key: 'fsFreezeEnabled',
    kind: 'boolean',
    required: false,
    agentDefault: true,
    snippet: '${1|true,false|}',
    describe: () => l10n.t('Freeze the file systems around the snapshot. When `false`, any script failure fails the backup. The agent tests truthiness: the string `"false"` still freezes, `null` gives a crash-consistent snapshot.'),
  },
  {
    key: 'ScriptsExecutionPollTimeSeconds',
    kind: 'integer',
    required: false,
    agentDefault: AGENT_DEFAULT_POLL_SECONDS,
    snippet: '${1:3}',
    describe: () => l10n.t('How often the agent checks whether a script finished, in seconds. Used only when it is an integer from 1 to 5; any other value is silently ignored and {0} is used.', AGENT_DEFAULT_POLL_SECONDS),
  },
  {
    key: 'appName',
    kind: 'string',
    required: false,
    snippet: '"${1:application}"',
    describe: () => l10n.t('Name of the application, sent to Azure telemetry only.'),
  },
];

/** Keys from early samples that the agent has never read. */
export const STALE_KEYS: ReadonlyMap<string, () => string> = new Map([
  ['timeout', () => l10n.t('The agent does not read `timeout`; the time limit is `timeoutInSeconds`.')],
  ['disableFsFreeze', () => l10n.t('The agent does not read `disableFsFreeze`; use `"fsFreezeEnabled": false`.')],
]);

/** Keys editors and people add that the agent ignores by design. */
export function isIgnoredByDesign(key: string): boolean {
  return key === '$schema' || key.startsWith('_') || key.startsWith('//');
}

export function findKeyInfo(key: string): ConfigKeyInfo | undefined {
  return CONFIG_KEYS.find((info) => info.key === key);
}

/** The value an "add this key" fix writes. */
export function valueToAdd(info: ConfigKeyInfo): unknown {
  return info.suggested ?? info.agentDefault;
}

/** The keys of a complete config, in the order the skeleton writes them. */
export const SKELETON_KEYS = [
  'pluginName',
  'preScriptLocation',
  'postScriptLocation',
  'preScriptParams',
  'postScriptParams',
  'timeoutInSeconds',
  'continueBackupOnFailure',
  'fsFreezeEnabled',
  'ScriptsExecutionPollTimeSeconds',
] as const;

/** A key's value snippet with its `$1` placeholder renumbered, for a snippet with several keys. */
function renumbered(snippet: string, tabStop: number): string {
  return snippet.replace(/\$\{1([:|])/g, `\${${tabStop}$1`).replace(/\$1(?!\d)/g, `$${tabStop}`);
}

/** The whole-config snippet, built from the catalogue (completion and the snippet file agree on it). */
export function configSkeletonLines(indent: string): string[] {
  const lines = SKELETON_KEYS.map((key, index) => `${indent}"${key}": ${renumbered(findKeyInfo(key)!.snippet, index + 1)}${index === SKELETON_KEYS.length - 1 ? '' : ','}`);
  return ['{', ...lines, '}'];
}
