import type { Consistency, PhaseResult } from './agentVerdict';

/**
 * The JSON document of `vmsnapshot rehearse --format json` (README, "Rehearse"). Times are
 * seconds; `startedAt`/`endedAt` count from the start of the rehearsal.
 */
export interface RehearsalReport {
  config: string;
  /** False when the engine predicted the result without the scripts: nothing ran. */
  ran: boolean;
  /** Why nothing ran. */
  reason?: string;
  agent: { code: number; name: string; docName?: string };
  consistency: Consistency;
  snapshot: boolean;
  timeoutSeconds: number | null;
  timeoutLimitSeconds: number | null;
  pollSeconds: number | null;
  environment: ScriptEnvironment | null;
  pre: PhaseReport;
  window: WindowReport | null;
  post: PhaseReport;
  verify: VerifyReport | null;
  warnings: RehearsalNote[];
  /** Why the scripts behave differently here than when run by hand in a terminal. */
  differences: RehearsalNote[];
}

export interface ScriptEnvironment {
  shell: 'sh';
  cwd: string;
  path: string;
  stdin: '/dev/null';
  tty: false;
  asRoot: boolean;
}

export interface PhaseReport {
  result: PhaseResult;
  /** The script's return code (Python's: minus the signal number when killed), null when it did not end. */
  exitCode: number | null;
  /** How long the script ran: to its end, or to when the rehearsal stopped waiting for it. */
  seconds: number | null;
  /** Still running when the rehearsal moved on (for the pre-script: when the post-script started). */
  stillRunning: boolean;
  pid: number | null;
  /** Exactly what the agent passes to Popen. */
  argv: string[] | null;
  /** The script file that ran, as a path on this machine (under --root, inside DIR). */
  script: string | null;
  startedAt: number | null;
  /** When the agent would have seen it end or timed it out, and moved on. */
  agentDoneAt: number | null;
  endedAt: number | null;
  /** Bytes each stream left in its pipe (at most 65,536: a fuller pipe blocks the script). */
  pipeBytes: { stdout: number; stderr: number } | null;
  /** That output, decoded as UTF-8, exactly as the script wrote it. */
  output: { stdout: string; stderr: string } | null;
}

export interface WindowReport {
  /** False when the agent takes no snapshot after the pre-script: nothing runs in between. */
  opened: boolean;
  startedAt: number;
  seconds: number;
  command: string | null;
  exitCode: number | null;
}

export interface ProbeCheck {
  ok: boolean;
  /** When the check ran, from the start of the rehearsal. */
  at: number;
  message: string;
}

export interface VerifyReport {
  application: string;
  passed: boolean;
  quiesced: ProbeCheck | null;
  released: ProbeCheck | null;
}

export interface RehearsalNote {
  code: string;
  side?: 'pre' | 'post';
  message: string;
  /** The file and line a note is about, when it is about a script's text. */
  file?: string;
  line?: number;
}
