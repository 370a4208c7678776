/**
 * Runs test-written scripts under real shells, the way the agent runs a pre-script (`sh file`),
 * so that every claim of the dash checker is measured rather than assumed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkScript } from '../../server/src/engine/scripts';
import type { EngineDiagnostic } from '../../server/src/engine/types';

export interface ShellRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function hasProgram(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;
}

/** A fresh folder per run: scripts create files, and runs must not see each other's. */
export function runScript(shell: 'dash' | 'bash', script: string | Uint8Array, stdin = ''): ShellRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-sh-'));
  try {
    const file = path.join(dir, 'script.sh');
    fs.writeFileSync(file, script);
    const result = spawnSync(shell, [file], {
      cwd: dir,
      input: stdin,
      encoding: 'utf8',
      timeout: 10_000,
      // A small fixed environment, so that bash-only variables cannot leak in from the caller.
      // SHLVL=2 keeps bash from reading ~/.bashrc, which it does when stdin looks like a remote shell's.
      env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', SHLVL: '2' },
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function check(script: string): EngineDiagnostic[] {
  return checkScript(new TextEncoder().encode(script));
}

export function notPosix(script: string): EngineDiagnostic[] {
  return check(script).filter((d) => d.code === 'ScriptNotPosix');
}

/**
 * The zero-based lines dash names in its error messages (`script.sh: 3: …`). For a syntax error
 * dash may name the line after the culprit (it has read the newline when it gives up, as with
 * `echo >& file`), so `syntax` says when the line before counts too.
 */
export function dashErrorLines(stderr: string): { line: number; syntax: boolean }[] {
  return [...stderr.matchAll(/script\.sh: (\d+): (.*)/g)].map((match) => ({ line: Number(match[1]) - 1, syntax: match[2].startsWith('Syntax error') }));
}

export function describeDiagnostics(diagnostics: EngineDiagnostic[]): string {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.code}/${d.data?.rule}`).join(', ') || '(none)';
}
