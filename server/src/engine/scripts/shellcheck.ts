/**
 * Runs ShellCheck on a script's text and turns its json1 answer into engine diagnostics.
 *
 * The executable comes from a setting, so it is treated as untrusted input: it is started with
 * execFile and a fixed argument list (never through a shell), the script goes in on stdin (no
 * temporary file, no path for ShellCheck to follow), and a timeout and an output cap bound what
 * a wrong or hanging program can cost.
 */
import * as l10n from '@vscode/l10n';
import type { ProgramRunner } from '../service/processes';
import type { EngineDiagnostic, Severity } from '../types';
import { ScriptCode, shellcheckWikiUrl } from './scriptCodes';

export const defaultShellCheckTimeoutMs = 10_000;
/** ShellCheck's JSON for a 1 MiB script stays far below this; more means something is wrong. */
const maxOutputBytes = 8 * 1024 * 1024;

/**
 * `--shell=sh` because the agent runs `sh <script>` whatever the shebang says. SC1090/SC1091
 * ("not following" a sourced file) are left out: from stdin ShellCheck can never follow one,
 * so they would be said about every `.` line.
 */
const shellcheckArgs = ['--shell=sh', '--format=json1', '--norc', '--exclude=SC1090,SC1091', '-'];

interface Json1Replacement {
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  replacement: string;
  insertionPoint?: string;
  precedence?: number;
}

interface Json1Comment {
  line: number;
  endLine: number;
  column: number;
  endColumn: number;
  level: string;
  code: number;
  message: string;
  fix?: { replacements: Json1Replacement[] } | null;
}

const severities: Record<string, Severity> = { error: 'error', warning: 'warning', info: 'information', style: 'hint' };

/**
 * json1 counts columns in characters (code points, a tab is one); editors count UTF-16 units.
 * Converts a 1-based ShellCheck column on a line into a 0-based UTF-16 offset.
 */
function toCharacter(lineText: string | undefined, column: number): number {
  if (lineText === undefined) return Math.max(0, column - 1);
  let units = 0;
  let points = 1;
  for (const ch of lineText) {
    if (points >= column) break;
    units += ch.length;
    points++;
  }
  return units + Math.max(0, column - points);
}

function failure(message: string): EngineDiagnostic[] {
  return [
    {
      code: ScriptCode.shellcheckFailed,
      severity: 'warning',
      message,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      data: { rule: 'shellcheckFailed' },
    },
  ];
}

/** Parses ShellCheck's json1 output for `text`; exported for tests that feed it recorded output. */
export function parseShellCheckJson(output: string, text: string): EngineDiagnostic[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(output);
  } catch {
    return undefined;
  }
  const comments = (parsed as { comments?: unknown })?.comments;
  if (!Array.isArray(comments)) return undefined;
  const lines = text.split('\n');
  const position = (line: number, column: number) => ({ line: line - 1, character: toCharacter(lines[line - 1], column) });
  const diagnostics: EngineDiagnostic[] = [];
  let carriageReturns: EngineDiagnostic | undefined;
  let carriageReturnCount = 0;
  for (const comment of comments as Json1Comment[]) {
    if (typeof comment?.code !== 'number' || typeof comment.line !== 'number') continue;
    const code = `SC${comment.code}`;
    const diagnostic: EngineDiagnostic = {
      code,
      severity: severities[comment.level] ?? 'warning',
      message: String(comment.message),
      range: { start: position(comment.line, comment.column), end: position(comment.endLine, comment.endColumn) },
      data: {
        rule: 'shellcheck',
        shellcheckCode: comment.code,
        href: shellcheckWikiUrl(code),
        fix: comment.fix?.replacements?.map((replacement) => ({
          range: {
            start: position(replacement.line, replacement.column),
            end: position(replacement.endLine, replacement.endColumn),
          },
          text: replacement.replacement,
        })),
      },
    };
    if (comment.code === 1017) {
      // One finding per CRLF line says the same thing a hundred times: keep the first, count.
      carriageReturnCount++;
      carriageReturns ??= diagnostic;
      continue;
    }
    diagnostics.push(diagnostic);
  }
  if (carriageReturns) {
    carriageReturns.message = l10n.t('Literal carriage return on {0} lines: the file has Windows (CRLF) line endings.', carriageReturnCount);
    carriageReturns.data = { ...carriageReturns.data!, lines: carriageReturnCount };
    diagnostics.unshift(carriageReturns);
  }
  return diagnostics;
}

/**
 * Runs `shellcheckPath` on `text`. Never rejects: when ShellCheck cannot be run or answers
 * nonsense, the result is one `ShellCheckFailed` warning, so the built-in checks still stand.
 */
export async function runShellCheck(run: ProgramRunner, text: string, shellcheckPath: string, timeoutMs = defaultShellCheckTimeoutMs): Promise<EngineDiagnostic[]> {
  const { stdout, error } = await run(shellcheckPath, shellcheckArgs, text, { timeoutMs, maxOutputBytes });
  // Exit status 1 only means "found something"; the JSON on stdout is what counts.
  const diagnostics = stdout ? parseShellCheckJson(stdout, text) : undefined;
  if (diagnostics) return diagnostics;
  if (error?.code === 'ENOENT') return failure(l10n.t('ShellCheck was not found at {0}.', shellcheckPath));
  if (error?.killed) return failure(l10n.t('ShellCheck did not answer within {0} ms and was stopped.', timeoutMs));
  return failure(l10n.t('ShellCheck at {0} gave no readable answer: {1}', shellcheckPath, error?.message ?? stdout.slice(0, 200)));
}
