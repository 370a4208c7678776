// Shared by the scaffold tests: temp folders, running scripts the way the agent does, waiting.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planScaffold, ScaffoldParams, ScaffoldPlan, writeScaffold } from '../../server/src/engine/scaffold';

export function tempDir(prefix = 'vmsnapshot-scaffold-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

export function commandExists(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The agent's /bin/sh on Debian is dash; the tests hold the scripts to that. */
export function shIsDash(): boolean {
  return path.basename(fs.realpathSync('/bin/sh')) === 'dash';
}

export interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The agent's argv: `sh <script> <params…>`, with the params exactly as the config lists them. */
export function configParams(dir: string, side: 'pre' | 'post'): { script: string; params: string[] } {
  const config = JSON.parse(fs.readFileSync(path.join(dir, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as Record<string, unknown>;
  const location = config[`${side}ScriptLocation`] as string;
  return { script: location, params: (config[`${side}ScriptParams`] as string[] | undefined) ?? [] };
}

/** Runs a script as the agent does and waits for it (its stdout/stderr are captured to assert they stay empty). */
export function runAsAgent(script: string, params: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [script, ...params], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    // 'exit', not 'close': background holders keep no copy of these pipes, but if one did, the
    // agent would not wait for it either.
    child.on('exit', (status, signal) => {
      clearTimeout(timer);
      setTimeout(() => resolve({ status, signal, stdout, stderr, ms: Date.now() - started }), 20);
    });
  });
}

/** Starts a script as the agent does without waiting: for killing it half-way. */
export function startAsAgent(script: string, params: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  return spawn('sh', [script, ...params], { env, stdio: 'ignore' });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` is true (it may ask a database, asynchronously); returns false after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(stepMs);
  }
  return check();
}

export function processAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

/** Pids of live processes whose command line contains `needle` (to prove nothing is left behind). */
export function processesMatching(needle: string): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const command = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (command.includes(needle) && processAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Plans and writes a scaffold whose scripts keep their state and log inside `dir`. */
export async function scaffoldInto(dir: string, app: string, params: ScaffoldParams = {}): Promise<ScaffoldPlan> {
  const plan = planScaffold(app, {
    ...params,
    settings: { state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log', `${app}.log`), ...params.settings },
  });
  await writeScaffold(plan, path.join(dir, 'out'));
  return plan;
}

export function readLog(dir: string, app: string): string {
  try {
    return fs.readFileSync(path.join(dir, 'log', `${app}.log`), 'utf8');
  } catch {
    return '';
  }
}
