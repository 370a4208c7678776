// Where the benchmark's processes run. Left to the scheduler, each server process settles on one
// core or the other for a whole run, next to the benchmark or across from it, and a wake-up across
// cores costs a different amount than one on the same core: at the sub-millisecond latencies
// compared here that bias decided which server "won" from one run to the next. Pinned, the
// benchmark runs on the first core and every server on the last, so each pays the same.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';

const TASKSET = spawnSync('taskset', ['--version']).status === 0;
const CORES = os.availableParallelism?.() ?? os.cpus().length;

export const pinning = TASKSET && CORES >= 2 ? { benchmark: 0, servers: CORES - 1 } : undefined;

/**
 * Runs `work` with this process (the benchmark driving the servers, every thread of it) on its
 * core, then gives it every core back for the parts that measure whole runs.
 */
export async function withBenchmarkPinned(work) {
  if (!pinning) return work();
  const pin = (cores) => spawnSync('taskset', ['-apc', cores, String(process.pid)]);
  pin(String(pinning.benchmark));
  try {
    return await work();
  } finally {
    pin(`0-${CORES - 1}`);
  }
}

/** The command that starts `command` on the servers' core. */
export function onServerCore(command) {
  return pinning ? ['taskset', '-c', String(pinning.servers), ...command] : command;
}

export function describePinning() {
  return pinning ? `benchmark pinned to CPU ${pinning.benchmark}, servers to CPU ${pinning.servers} (taskset)` : 'not pinned (needs taskset and 2 cores)';
}
