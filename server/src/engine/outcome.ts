import { agentCodeInfo, AgentCodeInfo, PredictedFailure } from './agentFailures';

export type AgentOutcome = AgentCodeInfo;

/**
 * The agent stops at its first failed check, so the outcome is the earliest failure by stage
 * (host conf, config file, load, pre-script, post-script, run), and within a stage the first
 * found. With none, the agent reports success, assuming the scripts themselves exit 0.
 */
export function predictOutcome(failures: readonly PredictedFailure[]): AgentOutcome {
  let first: PredictedFailure | undefined;
  for (const failure of failures) if (!first || failure.stage < first.stage) first = failure;
  return agentCodeInfo(first?.agentCode ?? 0);
}
