import { CONFIG_PATH, EXIT_0, VmRoot } from './vmRoot';

/** A rehearsal's scripts and config: what the test varies, the rest as the agent accepts it. */
export interface RehearsalSetup {
  pre: string | Uint8Array;
  post?: string | Uint8Array;
  /** Keys added to (or replacing) the short limits: timeoutInSeconds 2, poll 1. */
  config?: Record<string, unknown>;
  preMode?: number;
}

/**
 * The VM trees of the rehearsal tests (engine and CLI): /etc/azure/pre.sh and post.sh (mode 700,
 * root's) and the config naming them (600), with limits short enough that real timeouts stay
 * quick. Keeps every tree and every script the agent would leave running (it never kills them),
 * for `cleanUp()` in the suite's `after`.
 */
export class RehearsalTrees {
  private readonly roots: VmRoot[] = [];
  private readonly leftRunning: number[] = [];

  layOut(setup: RehearsalSetup): VmRoot {
    const root = new VmRoot();
    this.roots.push(root);
    root.writeAll({
      '/etc/azure/pre.sh': { content: setup.pre, mode: setup.preMode ?? 0o700 },
      '/etc/azure/post.sh': { content: setup.post ?? EXIT_0, mode: 0o700 },
      [CONFIG_PATH]: { content: JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 2, ScriptsExecutionPollTimeSeconds: 1, ...setup.config }), mode: 0o600 },
    });
    return root;
  }

  /** A script still running when the test is done: ended by its pid in `cleanUp()`. */
  leftRunningAt(pid: number): void {
    this.leftRunning.push(pid);
  }

  cleanUp(): void {
    for (const pid of this.leftRunning) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const root of this.roots) root.remove();
  }
}
