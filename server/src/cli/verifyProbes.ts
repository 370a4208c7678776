import { spawn, spawnSync } from 'child_process';
import { nodeFileSystem } from '../engine/fs/fileSystem';
import { systemClock } from '../engine/rehearse';
import { createProbe, RunCommand, VerifiableApp } from '../engine/rehearse/verify';
import type { QuiesceProbe } from '../engine/rehearse';

const runCommand: RunCommand = (file, args, options) =>
  new Promise((resolve) => {
    const child = spawn(file, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: options.timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (error) => resolve({ status: null, stdout, stderr: `${stderr}${error.message}` }));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });

function findProgram(names: readonly string[]): string | undefined {
  for (const name of names) {
    const found = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', name], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return undefined;
}

/** The --verify checks, with the database clients of this machine. */
export function probeFor(argv: readonly string[], scriptPath: string, app: string | undefined): QuiesceProbe {
  return createProbe(argv, scriptPath, app as VerifiableApp | undefined, { fileSystem: nodeFileSystem, run: runCommand, clock: systemClock, findProgram });
}
