/** The log reader's public surface: explain runs, redact text, render them for people. */
export { explainLogs } from './explain';
export type { ExplainOptions } from './explain';
export { misleadingNote, LogFindingCode } from './findings';
export { redactText, REDACTED } from './redact';
export type { Redaction } from './redact';
export { renderRuns, summarizeRun, describeConsistency } from './render';
export { hasAgentFiles, readLogSources, vmLogPaths, AGENT_LOG_FOLDER, WAAGENT_FOLDER } from './sources';
export type * from './model';
