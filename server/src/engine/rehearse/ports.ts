/**
 * What a rehearsal needs from the outside world, injected so that the runner's logic (the agent's
 * poll loop, its decision, the report) is testable apart from real processes and real time.
 */

/** Milliseconds since an arbitrary start, and a sleep that an abort ends early (without throwing). */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface LaunchedProcess {
  readonly pid: number;
  /**
   * The return code as Python's `Popen.poll()` gives it (a signal N is `-N`), or null while the
   * process runs, as far as is known now.
   */
  returnCode(): number | null;
  /** `Popen.poll()`: first takes in an end that already happened, then answers as returnCode(). */
  poll(): Promise<number | null>;
  /** Settles when the process ends, with its return code. */
  readonly ended: Promise<number>;
  /** Milliseconds (on the clock) when it ended, or null while it runs. */
  endedAt(): number | null;
  /**
   * Reads what the process left in its stdout and stderr pipes, without waiting. Reading frees
   * room in a full pipe, which lets a blocked writer go on: call it only once the process ended
   * or once nothing else is observed.
   */
  readPipes(limit: number): { stdout: Uint8Array; stderr: Uint8Array };
  /**
   * Closes our ends of its pipes, as the agent's exit does (a script still writing then gets
   * SIGPIPE), and lets a process still running outlive ours, as a timed-out script outlives the
   * agent's wait.
   */
  release(): void;
}

export interface LaunchOptions {
  cwd: string;
  env: Record<string, string>;
}

export interface ProcessLauncher {
  /** Starts `argv[0]` with `argv[1..]`, stdin from /dev/null, stdout and stderr on pipes nobody reads. */
  launch(argv: readonly string[], options: LaunchOptions): LaunchedProcess;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
