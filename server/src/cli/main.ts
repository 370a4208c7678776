import * as fs from 'fs';
import * as path from 'path';
import { findAssetsRoot } from '../engine/assets';
import * as l10n from '@vscode/l10n';
import { setLocale } from '../engine/l10n';
import { parseArgs, stringFlag, UsageError } from './args';
import { runCheckCommand } from './checkCommand';
import { localeFromEnvironment } from './locale';

function version(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(findAssetsRoot(), 'package.json'), 'utf8')) as { version: string };
  return manifest.version;
}

function usage(): string {
  return [
    l10n.t('Usage:'),
    '  vmsnapshot check [--format text|json|sarif] [--root DIR] [--file-checks auto|on|off] [--shellcheck PATH | --no-shellcheck] [--locale en|pt-br] [PATH...]',
    '  vmsnapshot scaffold --app generic|mysql|postgresql|mongodb|oracle|systemd|docker --out DIR [--force] [--locale en|pt-br]',
    '  vmsnapshot rehearse [--root DIR] [PATH] [--between CMD] [--skip-post] [--max-wait SECONDS] [--verify [--app mysql|postgresql]] [--format text|json] [--report FILE] [--yes]',
    '  vmsnapshot explain [--format text|json] [--redact] [--last N] [--root DIR] [--locale en|pt-br] [PATH...]',
    '  vmsnapshot redact [--root DIR] [PATH...]',
    '  vmsnapshot lsp --stdio | --node-ipc',
    '',
    l10n.t('check: predicts what the Azure backup agent does with each VMSnapshotScriptPluginConfig.json (a file, or every one below a folder; on the VM, /etc/azure by default).'),
    l10n.t('  --root DIR     DIR stands for the VM\'s / (a mounted disk, a chroot, a copy): paths resolve under it and modes and owners are checked.'),
    l10n.t('  exit status: 0 no error, 1 an error was found, 2 usage or I/O error.'),
    l10n.t('scaffold: writes a config, a pre-script, a post-script and install.sh for one application.'),
    l10n.t('rehearse: runs the pre- and post-script now, exactly as the agent will (as root, after asking; --yes without a terminal), and reports what the agent would.'),
    l10n.t('  exit status: 0 the agent would report success, 1 it would not (or --verify failed), 2 usage error or nothing run.'),
    l10n.t('explain: what the agent\'s own files (extension.log, shell.log, <N>.status, waagent.log) say about the last backups: scripts, freeze, snapshot and the consistency really reached. No PATH: the VM\'s own files, last run only.'),
    l10n.t('redact: prints those files with tokens, signatures, accounts, ids and credentials removed, to paste into an issue.'),
    l10n.t('lsp: starts the language server, for any editor that speaks LSP.'),
  ].join('\n');
}

const CHECK_VALUED = new Set(['format', 'root', 'locale', 'file-checks', 'shellcheck']);

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const write = (stream: NodeJS.WriteStream) => (text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  try {
    switch (command) {
      case 'check': {
        const parsed = parseArgs(rest, CHECK_VALUED, new Set(['help', 'no-shellcheck']));
        setLocale(stringFlag(parsed, 'locale') ?? localeFromEnvironment(process.env));
        if (parsed.flags.has('help')) {
          write(process.stdout)(usage());
          return 0;
        }
        return await runCheckCommand(parsed, { stdout: write(process.stdout), stderr: write(process.stderr), colour: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, version: version() });
      }
      case 'scaffold': {
        const localeIndex = rest.findIndex((arg) => arg === '--locale');
        setLocale(localeIndex >= 0 ? rest[localeIndex + 1] : localeFromEnvironment(process.env));
        // Loaded on demand so that `check` does not pay for the scaffolding templates or the LSP library.
        const { runScaffoldCommand } = require('./scaffoldCommand') as typeof import('./scaffoldCommand');
        const withoutLocale = localeIndex < 0 ? rest : rest.filter((_, index) => index !== localeIndex && index !== localeIndex + 1);
        return await runScaffoldCommand(withoutLocale);
      }
      case 'rehearse': {
        // Loaded on demand, like scaffold: `check` does not pay for it.
        const { runRehearseCommand, REHEARSE_VALUED, REHEARSE_BOOLEANS, askOnTerminal } = require('./rehearseCommand') as typeof import('./rehearseCommand');
        const parsed = parseArgs(rest, REHEARSE_VALUED, REHEARSE_BOOLEANS);
        setLocale(stringFlag(parsed, 'locale') ?? localeFromEnvironment(process.env));
        if (parsed.flags.has('help')) {
          write(process.stdout)(usage());
          return 0;
        }
        const { probeFor } = require('./verifyProbes') as typeof import('./verifyProbes');
        return await runRehearseCommand(parsed, {
          stdout: write(process.stdout),
          stderr: write(process.stderr),
          confirm: process.stdin.isTTY ? askOnTerminal : undefined,
          probeFor,
        });
      }
      case 'explain':
      case 'redact': {
        const { runExplainCommand, runRedactCommand, EXPLAIN_VALUED, EXPLAIN_BOOLEANS } = require('./explainCommand') as typeof import('./explainCommand');
        const parsed = parseArgs(rest, EXPLAIN_VALUED, EXPLAIN_BOOLEANS);
        setLocale(stringFlag(parsed, 'locale') ?? localeFromEnvironment(process.env));
        if (parsed.flags.has('help')) {
          write(process.stdout)(usage());
          return 0;
        }
        const io = { stdout: write(process.stdout), stderr: write(process.stderr) };
        return command === 'explain' ? runExplainCommand(parsed, io) : runRedactCommand(parsed, io);
      }
      case 'lsp': {
        const { startServer } = require('../server') as typeof import('../server');
        startServer();
        return -1; // the server keeps the process alive and exits on the client's `exit`
      }
      case '--version':
        write(process.stdout)(version());
        return 0;
      case undefined:
      case '--help':
      case 'help':
        setLocale(localeFromEnvironment(process.env));
        write(process.stdout)(usage());
        return command === undefined ? 2 : 0;
      default:
        setLocale(localeFromEnvironment(process.env));
        throw new UsageError(l10n.t('unknown command "{0}"', command));
    }
  } catch (error) {
    if (error instanceof UsageError) {
      write(process.stderr)(`vmsnapshot: ${error.message}\n${usage()}`);
      return 2;
    }
    write(process.stderr)(`vmsnapshot: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}
