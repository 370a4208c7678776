import * as path from 'path';
import * as readline from 'readline';
import * as l10n from '@vscode/l10n';
import { APP_IDS, planScaffold, ScaffoldError, ScaffoldParams, writeScaffold } from '../engine/scaffold';
import { UsageError } from './args';
import { CONF_APPS, confFor, writeAgentConf } from './scaffoldConfCommand';

/** Flags that take a value; the repeatable ones collect every occurrence. */
const VALUED = new Set(['out', 'timeout', 'script-dir', 'options-file', 'state-dir', 'log-file']);
const REPEATABLE = new Set(['app', 'service', 'container', 'set']);
const BOOLEAN = new Set(['force', 'help']);

/** The setting each app reads its credentials from, for --options-file. */
const OPTIONS_SETTING: Record<string, string> = { mysql: 'options_file', postgresql: 'service_file', mongodb: 'uri_file' };

export interface ScaffoldIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Asks before overwriting; absent (no terminal), existing files need --force. */
  confirm?(question: string): Promise<boolean>;
}

interface ScaffoldArgs {
  single: Map<string, string>;
  lists: Map<string, string[]>;
  booleans: Set<string>;
}

function parseScaffoldArgs(args: readonly string[]): ScaffoldArgs {
  const parsed: ScaffoldArgs = { single: new Map(), lists: new Map(), booleans: new Set() };
  for (let index = 0; index < args.length; index++) {
    const arg = args[index];
    if (!arg.startsWith('--')) throw new UsageError(l10n.t('unexpected argument "{0}"', arg));
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (BOOLEAN.has(name) && inline === undefined) {
      parsed.booleans.add(name);
      continue;
    }
    if (!VALUED.has(name) && !REPEATABLE.has(name)) throw new UsageError(l10n.t('unknown option --{0}', name));
    const value = inline ?? args[++index];
    if (value === undefined) throw new UsageError(l10n.t('--{0} needs a value', name));
    if (REPEATABLE.has(name)) parsed.lists.set(name, [...(parsed.lists.get(name) ?? []), value]);
    else parsed.single.set(name, value);
  }
  return parsed;
}

export function scaffoldUsage(): string {
  return [
    l10n.t('Usage:'),
    `  vmsnapshot scaffold --app ${APP_IDS.join('|')} [--app APP]... --out DIR [--force]`,
    `  vmsnapshot scaffold --app ${CONF_APPS.join('|')} --out DIR [--force]`,
    '      [--timeout SECONDS] [--service UNIT]... [--container NAME]... [--script-dir DIR]',
    '      [--options-file PATH] [--state-dir DIR] [--log-file PATH] [--set NAME=VALUE]...',
    l10n.t('Writes VMSnapshotScriptPluginConfig.json (mode 600), the pre- and post-script (mode 700) and install.sh into DIR.'),
    l10n.t('  --app           repeat for several applications on one VM: quiesced in that order, resumed in reverse'),
    l10n.t('  --timeout       the config\'s timeoutInSeconds (default 60); each quiesce is bounded by the pre- and post-script limits plus 60 s'),
    l10n.t('  --service       systemd unit to stop and start again (systemd; repeat or separate with commas)'),
    l10n.t('  --container     container to pause and unpause (docker; repeat or separate with commas)'),
    l10n.t('  --script-dir    folder of the scripts on the VM (default /etc/azure/vmsnapshot)'),
    l10n.t('  --options-file  root-only credentials file on the VM (mysql, postgresql, mongodb)'),
    l10n.t('  --set           any other script setting, e.g. --set label_dir=/backup/labels'),
    l10n.t('  --force         replace existing files without asking'),
    l10n.t('  exit status: 0 written, 1 not written (files exist, or declined), 2 usage error.'),
  ].join('\n');
}

function toParams(apps: readonly string[], parsed: ScaffoldArgs): ScaffoldParams {
  const settings: Record<string, string> = {};
  for (const pair of parsed.lists.get('set') ?? []) {
    const match = /^([a-z_]+)=(.*)$/s.exec(pair);
    if (!match) throw new UsageError(l10n.t('--set needs NAME=VALUE, got "{0}"', pair));
    settings[match[1]] = match[2];
  }
  const optionsFile = parsed.single.get('options-file');
  if (optionsFile !== undefined) {
    const owners = apps.filter((app) => OPTIONS_SETTING[app]);
    if (!owners.length) throw new UsageError(l10n.t('--options-file applies to mysql, postgresql and mongodb only'));
    if (owners.length > 1) throw new UsageError(l10n.t('--options-file is ambiguous with several databases: use --set {0}', owners.map((app) => `${OPTIONS_SETTING[app]}=PATH`).join(', --set ')));
    settings[OPTIONS_SETTING[owners[0]]] = optionsFile;
  }
  if (parsed.single.has('state-dir')) settings.state_dir = parsed.single.get('state-dir') ?? '';
  if (parsed.single.has('log-file')) settings.log_file = parsed.single.get('log-file') ?? '';
  const timeoutText = parsed.single.get('timeout');
  let timeoutSeconds: number | undefined;
  if (timeoutText !== undefined) {
    if (!/^[0-9]+$/.test(timeoutText)) throw new UsageError(l10n.t('--timeout needs a whole number of seconds, got "{0}"', timeoutText));
    timeoutSeconds = Number(timeoutText);
  }
  return {
    timeoutSeconds,
    scriptDir: parsed.single.get('script-dir'),
    services: parsed.lists.get('service'),
    containers: parsed.lists.get('container'),
    settings,
  };
}

function terminalConfirm(question: string): Promise<boolean> {
  const prompt = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    prompt.question(`${question} [y/N] `, (answer) => {
      prompt.close();
      resolve(/^(y|yes|s|sim)$/i.test(answer.trim()));
    });
  });
}

function defaultIo(): ScaffoldIo {
  const line = (stream: NodeJS.WriteStream) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  return { stdout: line(process.stdout), stderr: line(process.stderr), confirm: process.stdin.isTTY ? terminalConfirm : undefined };
}

/** `vmsnapshot scaffold …`: exit 0 when written, 1 when nothing was written, 2 on bad input. */
export async function runScaffoldCommand(args: string[], io: ScaffoldIo = defaultIo()): Promise<number> {
  let parsed: ScaffoldArgs;
  let params: ScaffoldParams;
  let apps: string[];
  let outDir: string;
  try {
    parsed = parseScaffoldArgs(args);
    if (parsed.booleans.has('help')) {
      io.stdout(scaffoldUsage());
      return 0;
    }
    apps = (parsed.lists.get('app') ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
    outDir = parsed.single.get('out') ?? '';
    if (!apps.length) throw new UsageError(l10n.t('--app is required'));
    if (!outDir) throw new UsageError(l10n.t('--out is required'));
    const conf = apps.length === 1 ? confFor(apps[0]) : undefined;
    if (conf) return writeAgentConf(conf, outDir, parsed.booleans.has('force'), io);
    params = toParams(apps, parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`vmsnapshot scaffold: ${error.message}\n${scaffoldUsage()}`);
    return 2;
  }

  try {
    const plan = planScaffold(apps, params);
    const confirm = io.confirm;
    const result = await writeScaffold(plan, outDir, {
      force: parsed.booleans.has('force'),
      confirmOverwrite: confirm ? (existing) => confirm(l10n.t('Overwrite {0} in {1}?', existing.join(', '), path.resolve(outDir))) : undefined,
    });
    if (result.cancelled) {
      io.stderr(l10n.t('Nothing was written.'));
      return 1;
    }
    io.stdout(l10n.t('Wrote {0} files to {1}:', result.written.length, path.resolve(outDir)));
    for (const file of plan.files) io.stdout(`  ${file.mode.toString(8)}  ${file.name}${file.vmPath ? `  → ${file.vmPath}` : ''}`);
    for (const options of plan.files.filter((file) => file.role === 'options')) {
      io.stdout(l10n.t('Edit {0} to match the server (install.sh installs it only where none exists).', options.name));
    }
    io.stdout(l10n.t('Then, on the VM as root: sh {0}', path.join(path.resolve(outDir), 'install.sh')));
    return 0;
  } catch (error) {
    if (!(error instanceof ScaffoldError)) throw error;
    io.stderr(`vmsnapshot scaffold: ${error.message}`);
    if (error.reason === 'exists' || error.reason === 'targetIsFolder' || error.reason === 'notAFolder') return 1;
    io.stderr(scaffoldUsage());
    return 2;
  }
}
