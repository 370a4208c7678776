import type { Clock, LaunchedProcess, LaunchOptions, ProcessLauncher } from './ports';
import type { PhaseResult } from './agentVerdict';

export interface PhaseLimits {
  /** `timeoutInSeconds` after the host cap: the agent polls `timeout / poll` times (a float). */
  timeoutSeconds: number;
  pollSeconds: number;
  /** How long to wait for a timed-out script to end before going on; 0 goes on at once, as the agent does. */
  maxWaitSeconds: number;
}

export interface PhaseRun {
  process: LaunchedProcess;
  result: PhaseResult;
  /** On the clock: when the script started, when the agent would have moved on, when we did. */
  startedAt: number;
  agentDoneAt: number;
  movedOnAt: number;
}

/**
 * Runs one script the way ScriptRunner does: start it, then poll it every poll interval,
 * counting polls against `timeout / poll`; a script still running when the count is reached has
 * timed out and is **not** killed. The first poll is at once, so a timeout of 0 or less times
 * out a script that did not end immediately. A script is seen to have ended only at a poll,
 * as the agent sees it.
 */
export interface PhaseHooks {
  launched?(process: LaunchedProcess): void;
  /** The agent's poll loop ran out with the script still running. */
  timedOut?(process: LaunchedProcess): void;
}

export async function runPhase(argv: readonly string[], launch: LaunchOptions, limits: PhaseLimits, launcher: ProcessLauncher, clock: Clock, hooks: PhaseHooks = {}): Promise<PhaseRun> {
  const process = launcher.launch(argv, launch);
  const startedAt = clock.now();
  hooks.launched?.(process);
  const pollCount = limits.timeoutSeconds / limits.pollSeconds;
  const limitMs = Math.max(0, Math.ceil(pollCount)) * limits.pollSeconds * 1000;
  let polls = 0;
  let timedOut = false;
  while ((await process.poll()) === null) {
    if (polls >= pollCount) {
      timedOut = true;
      break;
    }
    polls++;
    // Polls at fixed moments from the start, so that a late wake-up does not push the next ones back.
    await clock.sleep(startedAt + polls * limits.pollSeconds * 1000 - clock.now());
  }
  // A wake-up later than the poll moment must not turn a script that ended after the limit into
  // a success: the agent would have seen it still running at its last poll.
  const endedAt = process.endedAt();
  if (!timedOut && endedAt !== null && endedAt - startedAt > limitMs) timedOut = true;
  const agentDoneAt = timedOut ? Math.min(clock.now(), startedAt + limitMs) : clock.now();
  if (timedOut) hooks.timedOut?.(process);
  if (timedOut && limits.maxWaitSeconds > 0 && process.returnCode() === null) {
    const stop = new AbortController();
    await Promise.race([process.ended, clock.sleep(limits.maxWaitSeconds * 1000, stop.signal)]);
    stop.abort();
  }
  const returnCode = process.returnCode();
  const result: PhaseResult = timedOut ? 'timedout' : returnCode === 0 ? 'success' : 'failed';
  return { process, result, startedAt, agentDoneAt, movedOnAt: clock.now() };
}
