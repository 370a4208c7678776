import { agentCodeInfo, AgentCodeInfo } from '../codes';

/** How one script phase ended, in the agent's terms. */
export type PhaseResult = 'success' | 'failed' | 'timedout' | 'not-run';

/** The consistency the portal shows; `none` when the backup fails. */
export type Consistency = 'application' | 'file-system' | 'crash' | 'none';

export interface AgentVerdict {
  agent: AgentCodeInfo;
  consistency: Consistency;
  /** Whether the agent takes the snapshot. */
  snapshot: boolean;
}

export interface BackupSwitches {
  continueBackupOnFailure: boolean;
  fsFreezeEnabled: boolean;
}

type Side = 'pre' | 'post';

/** The agent's code for a phase that did not succeed: a non-zero exit, or its poll loop running out. */
function phaseCode(side: Side, result: PhaseResult): number {
  if (result === 'timedout') return side === 'pre' ? 308 : 309;
  return side === 'pre' ? 300 : 301;
}

function failed(result: PhaseResult): boolean {
  return result === 'failed' || result === 'timedout';
}

/**
 * Whether the agent goes on with the backup after a phase (`handle.py`: `dobackup`). A failed
 * script lets it go on only when continueBackupOnFailure is true *and* the file systems are
 * frozen: without the freeze, any script failure fails the backup.
 */
function goesOn(result: PhaseResult, switches: BackupSwitches): boolean {
  return !failed(result) || (switches.continueBackupOnFailure && switches.fsFreezeEnabled);
}

/**
 * What the agent reports after running the scripts (agent-config-files.md §5): the first failure
 * is the code (the pre-script's before the post-script's); a failure the agent goes on after
 * still gives a snapshot, reported file-system consistent; one it does not go on after fails
 * the backup (after the pre-script: no snapshot at all, though the post-script still runs).
 */
export function verdictAfterScripts(pre: PhaseResult, post: PhaseResult, switches: BackupSwitches): AgentVerdict {
  const snapshot = goesOn(pre, switches);
  const backupSucceeds = snapshot && goesOn(post, switches);
  const code = failed(pre) ? phaseCode('pre', pre) : failed(post) ? phaseCode('post', post) : 0;
  const consistency: Consistency = !backupSucceeds ? 'none' : code === 0 ? 'application' : 'file-system';
  return { agent: agentCodeInfo(code), consistency, snapshot };
}

/** Whether the agent takes the snapshot after the pre-script, which decides whether the window is opened at all. */
export function snapshotAfterPre(pre: PhaseResult, switches: BackupSwitches): boolean {
  return goesOn(pre, switches);
}

/**
 * What the agent reports when it stops before running any script, or when the config makes the
 * run fail whatever the scripts do. Validation failures of the scripts (302/303/306/307) follow
 * continueBackupOnFailure (a snapshot with no script, file-system consistent, or no backup);
 * a config the agent cannot read or judge falls back to a frozen file-system-consistent
 * snapshot; a crash of the run thread (310/311) is a failure it goes on after only with the freeze.
 */
export function verdictWithoutScripts(code: number, switches: BackupSwitches | null): AgentVerdict {
  const agent = agentCodeInfo(code);
  const cont = switches?.continueBackupOnFailure ?? true;
  const freeze = switches?.fsFreezeEnabled ?? true;
  switch (code) {
    case 0:
      return { agent, consistency: 'application', snapshot: true };
    case 302:
    case 303:
    case 306:
    case 307:
      return { agent, consistency: cont ? 'file-system' : 'none', snapshot: cont };
    case 308:
      return verdictAfterScripts('timedout', 'timedout', { continueBackupOnFailure: cont, fsFreezeEnabled: freeze });
    case 310:
      return { agent, consistency: freeze ? 'file-system' : 'none', snapshot: freeze };
    case 311:
      return { agent, consistency: freeze ? 'file-system' : 'none', snapshot: true };
    default:
      return { agent, consistency: 'file-system', snapshot: true };
  }
}
