/** The vocabulary of `vmsnapshot explain --format json` (README, "Explaining a backup"). */
export type ScriptResult = 'success' | 'failed' | 'timedOut' | 'notRun' | 'unknown';
export type FreezeResult = 'completed' | 'failed' | 'timedOut' | 'notAttempted' | 'unknown';
export type SnapshotResult = 'allDisks' | 'partial' | 'failed' | 'notAttempted' | 'unknown';
export type Consistency = 'application' | 'fileSystem' | 'crash' | 'none' | 'unknown';
/** `loaded`, `workload` (the enhanced framework replaced the scripts), `unknown`, or the precheck's status code. */
export type ScriptConfigState = 'loaded' | 'workload' | 'unknown' | number;
export type FindingSeverity = 'error' | 'warning' | 'information';

export interface SourceLine {
  file: string;
  /** 1-based. */
  line: number;
}

export interface Finding extends SourceLine {
  code: string;
  severity: FindingSeverity;
  message: string;
  /** The line of the script config responsible, when the config was given too. */
  related?: SourceLine & { key: string };
}

export interface ScriptOutcome {
  result: ScriptResult;
  exitCode: number | null;
}

export type EvidenceField = 'start' | 'key' | 'pre' | 'post' | 'scriptConfig' | 'freeze' | 'lastMilestone' | 'snapshot' | 'consistency' | 'finalCode' | 'healthCode';

export interface TimelineEvent extends SourceLine {
  /** The time as the line gives it (ISO, `Z` when known to be UTC), or null. */
  time: string | null;
  /** The line's message, as written. */
  text: string;
}

/** What the reconstruction concludes about one run: the fields of the JSON contract that come from its lines. */
export interface RunOutcome {
  start: string | null;
  pre: ScriptOutcome;
  post: ScriptOutcome;
  scriptConfig: ScriptConfigState;
  freeze: FreezeResult;
  /** The furthest freeze milestone (1–9) the text shows; a cut log may show less. */
  lastMilestone: number | null;
  snapshot: SnapshotResult;
  consistency: Consistency;
  finalCode: number | null;
  healthCode: number | null;
  /** The lines each conclusion comes from. */
  evidence: Partial<Record<EvidenceField, SourceLine[]>>;
}

export interface RunReport extends RunOutcome {
  key: { sequenceNumber: number | null; taskId: string | null };
  findings: Finding[];
  /** The run's milestones in the order they happened (freeze block put back in time). */
  timeline: TimelineEvent[];
  /** True when another run's lines were mixed in and ambiguous lines were left out. */
  interleaved: boolean;
}

export interface LogSource {
  /** A path or a name, used in findings. */
  path: string;
  text: string;
}

export interface ExplainResult {
  runs: RunReport[];
}
