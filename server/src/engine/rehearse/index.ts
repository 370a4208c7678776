/** Rehearsal of a backup: the scripts run as the agent runs them, on request only. */
export { rehearse, PIPE_CAPACITY_BYTES, NEAR_TIMEOUT_SHARE } from './rehearse';
export type { QuiesceProbe, RehearsalEvent, RehearseOptions } from './rehearse';
export { planRehearsal, RehearsalRefused, scriptName } from './plan';
export type { RehearsalPlan, RunnablePlan, PlannedScript } from './plan';
export type { RehearsalReport, PhaseReport, WindowReport, VerifyReport, ProbeCheck, RehearsalNote, ScriptEnvironment } from './report';
export { verdictAfterScripts } from './agentVerdict';
export type { AgentVerdict, Consistency, PhaseResult } from './agentVerdict';
export { createNodeLauncher } from './nodeLauncher';
export { systemClock } from './ports';
export type { Clock, LaunchedProcess, ProcessLauncher } from './ports';
export { agentEnvironment, AGENT_PATH } from './agentEnvironment';
