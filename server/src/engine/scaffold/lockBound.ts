import { AGENT_DEFAULT_POLL_SECONDS } from '../codes';

/** The scaffold's timeoutInSeconds unless the user chooses another. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/**
 * The agent's `[SnapshotThread] timeout` in /etc/azure/vmbackup.conf when unset: the longest the
 * file systems stay frozen, the window in which the snapshot is taken.
 */
export const SNAPSHOT_WINDOW_SECONDS = 60;

/** The agent's real limit for one script: it counts whole poll intervals. */
export function scriptLimitSeconds(timeoutSeconds: number, pollSeconds = AGENT_DEFAULT_POLL_SECONDS): number {
  return Math.ceil(timeoutSeconds / pollSeconds) * pollSeconds;
}

/**
 * How long a quiesce begun by the pre-script must be able to last: the pre-script may take its
 * whole limit before it returns, then the freeze and snapshot window, then the post-script may
 * only end it at the end of its own limit. A shorter bound lets the quiesce end before the
 * snapshot on a slow day.
 */
export function requiredLockSeconds(scriptLimit: number, snapshotWindow = SNAPSHOT_WINDOW_SECONDS): number {
  return scriptLimit + snapshotWindow + scriptLimit;
}
