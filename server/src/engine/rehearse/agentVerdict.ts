import { AgentCode, agentCodeInfo, AgentCodeInfo, agentFailure, Side } from '../agentFailures';
import { BackupFlow, Consistency, predictBackupFlow } from '../model/backupFlow';
import type { EffectiveValues } from '../model/effective';

/** How one script phase ended, in the agent's terms. */
export type PhaseResult = 'success' | 'failed' | 'timedout' | 'not-run';

export type { Consistency };

export interface AgentVerdict {
  agent: AgentCodeInfo;
  consistency: Consistency;
  /** Whether the agent takes the snapshot. */
  snapshot: boolean;
}

/** The agent's code for a phase that did not succeed: a non-zero exit, or its poll loop running out. */
function phaseCode(side: Side, result: PhaseResult): AgentCode | undefined {
  if (result === 'timedout') return agentFailure('scriptTimeout', side).agentCode;
  if (result === 'failed') return agentFailure('scriptFailed', side).agentCode;
  return undefined;
}

function verdict(code: AgentCode, flow: BackupFlow): AgentVerdict {
  return { agent: agentCodeInfo(code), consistency: flow.consistency, snapshot: flow.snapshot };
}

/**
 * What the agent reports after running the scripts: the first failure is the code (the
 * pre-script's before the post-script's), and the engine's backup flow for that code and the
 * config's switches says whether the snapshot is taken and which consistency the portal shows.
 */
export function verdictAfterScripts(pre: PhaseResult, post: PhaseResult, effective: EffectiveValues): AgentVerdict {
  const code = phaseCode('pre', pre) ?? phaseCode('post', post) ?? 0;
  return verdict(code, predictBackupFlow(code, effective));
}

/** Whether the agent takes the snapshot after the pre-script, which decides whether the window is opened at all. */
export function snapshotAfterPre(pre: PhaseResult, effective: EffectiveValues): boolean {
  return predictBackupFlow(phaseCode('pre', pre) ?? 0, effective).snapshot;
}
