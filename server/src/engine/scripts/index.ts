/**
 * Checks a pre- or post-script as the agent will run it: `sh <script>` as root, which on
 * Debian and Ubuntu is dash, with stdout and stderr on pipes nobody reads.
 *
 * Only call this for files the agent runs with sh and files they source with `.`: a helper that
 * the script starts with `bash helper.sh` is a bash script and must not be held to dash's rules.
 * Nothing here runs the script.
 */
import * as l10n from '@vscode/l10n';
import { LineIndex } from '../text/lineIndex';
import type { EngineDiagnostic, Range, Severity } from '../types';
import { findOutputRisk, logInsertLine } from './outputRedirect';
import { checkPosix } from './posixChecker';
import { ScriptCode } from './scriptCodes';
import { decodeScript, defaultMaxScriptBytes, type ScriptText } from './scriptText';
import { readShebang } from './shebang';
import { parseShell } from './shellSyntax';

export { ScriptCode, shellcheckWikiUrl } from './scriptCodes';
export { runShellCheck, parseShellCheckJson } from './shellcheck';
export { ShellCheckScheduler } from './shellcheckScheduler';
export { decodeScript } from './scriptText';

export interface CheckScriptOptions {
  /** Read at most this many bytes (default 1 MiB); a longer script is checked in part. */
  maxBytes?: number;
  /** The file's real size, when the caller read only its first bytes. */
  fileSize?: number;
  /** Put on every diagnostic as `file`. */
  file?: string;
}

function lineRange(line: number, startCharacter: number, endCharacter: number): Range {
  return { start: { line, character: startCharacter }, end: { line, character: endCharacter } };
}

class ScriptDiagnostics {
  readonly list: EngineDiagnostic[] = [];
  constructor(private readonly file: string | undefined) {}

  add(code: string, severity: Severity, message: string, range: Range, data: { rule: string; [key: string]: unknown }): void {
    const diagnostic: EngineDiagnostic = { code, severity, message, range, data };
    if (this.file !== undefined) diagnostic.file = this.file;
    this.list.push(diagnostic);
  }
}

function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
}

function checkEncoding(script: ScriptText, out: ScriptDiagnostics): void {
  const { text } = script;
  if (script.truncated) {
    out.add(
      ScriptCode.truncated,
      'information',
      l10n.t('Only the first {0} KiB of this {1} KiB script were checked.', Math.floor(script.checkedBytes / 1024), Math.ceil(script.totalBytes / 1024)),
      lineRange(0, 0, 0),
      { rule: 'truncated', checkedBytes: script.checkedBytes, totalBytes: script.totalBytes },
    );
  }
  if (script.hasBom) {
    const line = firstLine(text);
    const firstWord = /^\S*/.exec(line)?.[0] ?? '';
    // dash reads the mark as part of the first word: a command there is "not found" (and so
    // lost, `set -e` included); a comment or shebang only costs a line of noise on stderr.
    const commandLost = line.trim() !== '' && !line.trimStart().startsWith('#');
    out.add(
      ScriptCode.bom,
      commandLost ? 'error' : 'warning',
      commandLost
        ? l10n.t('The file starts with a UTF-8 byte order mark: dash reads it as part of `{0}`, which is then "not found" and never runs. Save the file as UTF-8 without BOM.', firstWord)
        : l10n.t('The file starts with a UTF-8 byte order mark: dash reports the first line as "not found". Save the file as UTF-8 without BOM.'),
      lineRange(0, 0, firstWord.length),
      { rule: 'bom', byteLength: 3 },
    );
  }
  if (script.crlfLines.length) {
    const line = script.crlfLines[0];
    const lineText = text.split('\n')[line] ?? '';
    out.add(
      ScriptCode.crlf,
      'error',
      l10n.t('Windows (CRLF) line endings on {0} lines: dash reads each \\r as part of the last word, so `then`, `do`, `fi` and commands at line ends fail. Save the file with LF line endings.', script.crlfLines.length),
      lineRange(line, lineText.length - 1, lineText.length),
      { rule: 'crlf', lines: script.crlfLines.length, firstLine: line },
    );
  }
}

/** The built-in checks; synchronous, and they never run anything. */
export function checkScript(bytes: Uint8Array, options: CheckScriptOptions = {}): EngineDiagnostic[] {
  const out = new ScriptDiagnostics(options.file);
  const script = decodeScript(bytes, options.maxBytes ?? defaultMaxScriptBytes, options.fileSize ?? bytes.length);
  if (script.notText) {
    const messages = {
      utf16: l10n.t('The file is UTF-16 text: sh reads bytes and cannot run it. Save it as UTF-8.'),
      elf: l10n.t('The file is a program, not a script: the agent runs it with sh, which cannot read it. Point the config at a shell script that starts the program.'),
      nul: l10n.t('The file holds NUL bytes, so it is not a text file: sh cannot run it.'),
    };
    out.add(ScriptCode.notText, 'error', messages[script.notText], lineRange(0, 0, 0), { rule: script.notText });
    return out.list;
  }
  checkEncoding(script, out);
  const { text } = script;
  const lines = new LineIndex(text);

  const shebang = readShebang(text);
  if (shebang && shebang.kind !== 'posix') {
    const range = lineRange(0, 0, shebang.line.length);
    if (shebang.kind === 'shell') {
      out.add(ScriptCode.shebangIgnored, 'information', l10n.t('The agent runs this script as `sh script`: the `#!` line is ignored and dash, not {0}, runs it.', shebang.interpreter), range, { rule: 'shellShebang', interpreter: shebang.interpreter });
    } else {
      out.add(ScriptCode.shebangIgnored, 'error', l10n.t('The agent runs this script with `sh`, not {0}: dash reads the file as shell commands and fails. Start the {0} program from a short sh script instead.', shebang.interpreter), range, { rule: 'otherInterpreter', interpreter: shebang.interpreter });
      // Shell rules say nothing useful about a Python or Perl file.
      return out.list;
    }
  }

  let syntax: ReturnType<typeof parseShell>;
  try {
    syntax = parseShell(text);
  } catch (error) {
    // The reader recurses into $( … ) and ( … ): thousands of levels exhaust the stack. Say so
    // instead of crashing the server; no real pre/post script nests that deep.
    if (!(error instanceof RangeError)) throw error;
    out.add(ScriptCode.truncated, 'information', l10n.t('This script nests too deeply to be checked.'), lineRange(0, 0, 0), { rule: 'tooDeep' });
    return out.list;
  }
  for (const finding of checkPosix(text, syntax)) {
    const start = lines.positionAt(finding.start);
    const end = lines.positionAt(finding.end);
    // A construct spanning lines is marked on its first line, where dash reports it.
    const range = end.line === start.line ? { start, end } : { start, end: lines.positionAt(lines.offsetAt({ line: start.line + 1, character: 0 }) - 1) };
    out.add(ScriptCode.notPosix, finding.severity, finding.message, range, { rule: finding.rule, construct: finding.construct.split('\n')[0] });
  }

  const risk = findOutputRisk(syntax);
  if (risk) {
    const name = risk.command.words[0];
    out.add(
      ScriptCode.outputNotRedirected,
      'hint',
      l10n.t('The agent never reads this script\'s output: once it has written 64 KiB to stdout or stderr, the script blocks until the agent times out. Send the output to a log file, e.g. `exec >>/var/log/backup-script.log 2>&1` near the top.'),
      { start: lines.positionAt(name.start), end: lines.positionAt(name.end) },
      { rule: 'outputNotRedirected', insertLine: logInsertLine(text) },
    );
  }
  return out.list;
}

const sameLine = (a: EngineDiagnostic, b: EngineDiagnostic) => a.range.start.line === b.range.start.line;

/** ShellCheck is pointless on what the built-in checks already found not to be a shell script. */
export function worthShellChecking(builtIn: readonly EngineDiagnostic[]): boolean {
  return !builtIn.some((d) => d.code === ScriptCode.notText || d.data?.rule === 'otherInterpreter');
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

/**
 * ShellCheck's findings about a bash-only construct itself (the `function` keyword, arrays),
 * which the dash checker reports in its own words at the same place.
 */
const SAME_AS_DASH_CHECKER = new Set(['SC2068', 'SC2113', 'SC2128', 'SC2145', 'SC2178', 'SC2179', 'SC2198', 'SC2199', 'SC2206', 'SC2207']);

/** The ranges share at least one character (or one is empty and sits inside the other). */
function overlaps(a: EngineDiagnostic, b: EngineDiagnostic): boolean {
  return !before(a.range.end, b.range.start) && !before(b.range.end, a.range.start) && sameLine(a, b);
}

/**
 * The built-in findings and ShellCheck's (`--shell=sh`), merged. The built-in dash checker
 * decides what breaks under dash; ShellCheck adds its other findings beside it, so a problem is
 * reported once: ShellCheck's finding on a construct the dash checker reported (SC2113 on
 * `function f`, SC2145 on `${a[@]}`) or its portability warning (SC3xxx) on the same line is
 * dropped and its code named in ours; the rest of its SC3xxx are lowered to information (POSIX
 * sh lacks the feature, dash has it, e.g. `local`); its CRLF and BOM findings give way to the
 * built-in ones. Neither input is changed: both may be cached.
 */
export function mergeShellCheck(builtIn: readonly EngineDiagnostic[], fromShellCheck: readonly EngineDiagnostic[], file?: string): EngineDiagnostic[] {
  const notPosix = builtIn.filter((d) => d.code === ScriptCode.notPosix);
  const hasCrlf = builtIn.some((d) => d.code === ScriptCode.crlf);
  const alsoSaid = new Map<EngineDiagnostic, string[]>();
  const merged: EngineDiagnostic[] = [];
  for (const found of fromShellCheck) {
    if (found.code === 'SC1017' && hasCrlf) continue;
    const portability = /^SC3\d{3}$/.test(found.code);
    const ours = portability ? notPosix.find((own) => sameLine(own, found)) : SAME_AS_DASH_CHECKER.has(found.code) ? notPosix.find((own) => overlaps(own, found)) : undefined;
    if (ours) {
      alsoSaid.set(ours, [...(alsoSaid.get(ours) ?? []), found.code]);
      continue;
    }
    const diagnostic = { ...found };
    if (portability) diagnostic.severity = 'information';
    if (file !== undefined) diagnostic.file = file;
    merged.push(diagnostic);
  }
  const ours = builtIn.map((own) => {
    const codes = alsoSaid.get(own);
    if (!codes) return own;
    const unique = [...new Set(codes)];
    return { ...own, message: `${own.message} ${l10n.t('(ShellCheck also flags it: {0})', unique.join(', '))}`, data: { ...own.data!, shellcheck: unique } };
  });
  return [...ours, ...merged];
}
