import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Clock, LaunchedProcess, LaunchOptions, ProcessLauncher } from './ports';

/**
 * A pipe whose reading end this process holds open but does not read until asked. Node's own
 * child pipes read eagerly into memory, so a script could write far more than the agent lets
 * it before blocking; a FIFO opened here, unlinked at once, is a plain kernel pipe of the same
 * 64 KiB that the agent's `subprocess.PIPE` gives.
 */
class UnreadPipe {
  readonly readFd: number;
  readonly writeFd: number;

  /** `fifo` was made by mkfifo; it is unlinked once both ends are open. */
  constructor(fifo: string) {
    // The reading end first, non-blocking, so that opening the writing end does not wait.
    this.readFd = fs.openSync(fifo, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    this.writeFd = fs.openSync(fifo, fs.constants.O_WRONLY);
    fs.unlinkSync(fifo);
  }

  /** What is in the pipe now, up to `limit` bytes; never waits. */
  read(limit: number): Uint8Array {
    const buffer = Buffer.alloc(limit);
    let filled = 0;
    while (filled < buffer.length) {
      let count: number;
      try {
        count = fs.readSync(this.readFd, buffer, filled, buffer.length - filled, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw error;
      }
      if (count === 0) break;
      filled += count;
    }
    return buffer.subarray(0, filled);
  }

  closeWriter(): void {
    fs.closeSync(this.writeFd);
  }

  closeReader(): void {
    fs.closeSync(this.readFd);
  }
}

/** Long enough for a stop signal to reach every process of a group, even one asleep in a write. */
const STOP_SETTLE_MS = 20;

/**
 * Stops every process of the script's group, so that reading one pipe cannot let a writer
 * blocked on it go on and write to the other before that one is read either.
 */
function stopGroup(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGSTOP');
  } catch {
    return false;
  }
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, STOP_SETTLE_MS);
  return true;
}

/** Python's return code: the exit status, or minus the signal number for a killed process. */
function pythonReturnCode(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return -(signal ? os.constants.signals[signal] ?? 0 : 0);
}

export function createNodeLauncher(clock: Clock): ProcessLauncher {
  return {
    launch(argv: readonly string[], options: LaunchOptions): LaunchedProcess {
      const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-pipes-'));
      let stdout: UnreadPipe;
      let stderr: UnreadPipe;
      try {
        const fifos = [path.join(folder, 'stdout'), path.join(folder, 'stderr')];
        execFileSync('mkfifo', ['-m', '600', ...fifos]);
        stdout = new UnreadPipe(fifos[0]);
        stderr = new UnreadPipe(fifos[1]);
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
      // Its own session, as under the agent's daemon: no controlling terminal, and a process group
      // that can be stopped as a whole while its pipes are read.
      const child = spawn(argv[0], argv.slice(1), { cwd: options.cwd, env: options.env, stdio: ['ignore', stdout.writeFd, stderr.writeFd], detached: true });
      stdout.closeWriter();
      stderr.closeWriter();
      let returnCode: number | null = null;
      let endedAt: number | null = null;
      let stopped = false;
      const ended = new Promise<number>((resolve) => {
        child.once('exit', (code, signal) => {
          returnCode = pythonReturnCode(code, signal);
          endedAt = clock.now();
          resolve(returnCode);
        });
        // A spawn failure (no sh, a bad cwd) ends the "process" the way Popen's OSError would stop the agent.
        child.once('error', () => {
          if (returnCode !== null) return;
          returnCode = 127;
          endedAt = clock.now();
          resolve(returnCode);
        });
      });
      return {
        pid: child.pid ?? -1,
        returnCode: () => returnCode,
        // The child's end arrives as an event: after a busy moment, a timer can fire before the
        // pending exit is handled. One turn of the event loop's I/O phase takes it in, as
        // Python's waitpid would see it.
        poll: () => new Promise((resolve) => setImmediate(() => resolve(returnCode))),
        endedAt: () => endedAt,
        ended,
        readPipes: (limit) => {
          // The script's background children may still write even after it ended.
          if (child.pid !== undefined && !stopped) stopped = stopGroup(child.pid);
          return { stdout: stdout.read(limit), stderr: stderr.read(limit) };
        },
        release: () => {
          stdout.closeReader();
          stderr.closeReader();
          if (stopped && child.pid !== undefined) {
            try {
              process.kill(-child.pid, 'SIGCONT');
            } catch {
              // the group is gone
            }
          }
          child.unref();
        },
      };
    },
  };
}
