import * as fs from 'fs';
import * as l10n from '@vscode/l10n';
import { explainLogs, hasAgentFiles, readLogSources, redactText, renderRuns } from '../engine/logs';
import { nodeFileSystem } from '../engine/fs/fileSystem';
import { ParsedArgs, stringFlag, UsageError } from './args';

export interface ExplainIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const EXPLAIN_VALUED = new Set(['format', 'last', 'root', 'locale']);
export const EXPLAIN_BOOLEANS = new Set(['help', 'redact']);

function sourcesFrom(parsed: ParsedArgs, io: ExplainIo) {
  for (const positional of parsed.positionals) {
    if (!fs.statSync(positional, { throwIfNoEntry: false })) throw new UsageError(l10n.t('{0}: no such file or folder', positional));
  }
  const root = stringFlag(parsed, 'root');
  if (root !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(l10n.t('--root {0}: not a folder', root));
  const { sources, unreadable } = readLogSources(parsed.positionals, root);
  for (const file of unreadable) io.stderr(l10n.t('vmsnapshot: cannot read {0} (run as root on the VM?)', file));
  if (!hasAgentFiles(sources)) {
    throw new Error(parsed.positionals.length === 0 ? l10n.t('none of the agent\'s files was found or readable (is this the VM? run as root, or name the files)') : l10n.t('no extension.log, shell.log, waagent.log or status file was found in the paths given'));
  }
  return sources;
}

/**
 * `vmsnapshot explain`: what the agent's own files say about the last backups. Exit 0 when the
 * runs shown have no error, 1 when one has, 2 for usage and I/O problems.
 */
export function runExplainCommand(parsed: ParsedArgs, io: ExplainIo): number {
  const format = stringFlag(parsed, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(l10n.t('--format must be text or json'));
  const lastFlag = stringFlag(parsed, 'last');
  if (lastFlag !== undefined && !/^\d+$/.test(lastFlag)) throw new UsageError(l10n.t('--last must be a whole number'));
  // The VM's own log holds years of backups: by default only the last one, as the command's name says.
  const last = lastFlag !== undefined ? Number(lastFlag) : parsed.positionals.length === 0 ? 1 : undefined;
  const root = stringFlag(parsed, 'root') ?? (parsed.positionals.length === 0 ? '/' : undefined);
  // The scripts the config names are read too, so that findings point at their lines.
  const result = explainLogs(sourcesFrom(parsed, io), { last, fileSystem: nodeFileSystem, root });
  let output = format === 'json' ? JSON.stringify({ runs: result.runs.map(({ timeline: _timeline, interleaved: _interleaved, ...run }) => run) }, null, 2) : renderRuns(result.runs);
  if (parsed.flags.has('redact')) output = redactText(output).text;
  io.stdout(output);
  return result.runs.some((run) => run.findings.some((finding) => finding.severity === 'error')) ? 1 : 0;
}

/** `vmsnapshot redact`: the files themselves, safe to paste into a public issue. */
export function runRedactCommand(parsed: ParsedArgs, io: ExplainIo): number {
  const guids = new Map<string, string>();
  for (const source of sourcesFrom(parsed, io)) {
    if (parsed.positionals.length !== 1 || fs.statSync(parsed.positionals[0]).isDirectory()) io.stdout(`==> ${redactText(source.path, guids).text} <==`);
    io.stdout(redactText(source.text, guids).text);
  }
  return 0;
}
