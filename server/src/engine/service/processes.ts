import { execFile } from 'child_process';

/** What a finished program left: its stdout, and how it failed, if it did. */
export interface ProgramResult {
  stdout: string;
  error?: { code?: string | number; killed?: boolean; message: string };
}

/**
 * How the engine starts an external program (ShellCheck): injected, so that tests and other
 * runtimes can replace it. Always with a fixed argument list, never through a shell.
 */
export type ProgramRunner = (file: string, args: readonly string[], stdin: string, options: { timeoutMs: number; maxOutputBytes: number }) => Promise<ProgramResult>;

export const nodeProgramRunner: ProgramRunner = (file, args, stdin, options) =>
  new Promise((resolve) => {
    let child;
    try {
      child = execFile(file, [...args], { timeout: options.timeoutMs, maxBuffer: options.maxOutputBytes, windowsHide: true, encoding: 'utf8' }, (error, stdout) => {
        resolve({ stdout: stdout ?? '', ...(error ? { error: { code: (error as NodeJS.ErrnoException).code ?? error.code ?? undefined, killed: error.killed, message: error.message } } : {}) });
      });
    } catch (error) {
      resolve({ stdout: '', error: { message: String(error) } });
      return;
    }
    // A program that exits before reading stdin makes the write fail with EPIPE; the exit
    // callback above reports the run, so the stream error only needs to be kept from throwing.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(stdin);
  });

/** Time, injected so that throttling can be tested without waiting. */
export interface Clock {
  delay(ms: number): Promise<void>;
}

export const realClock: Clock = { delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
