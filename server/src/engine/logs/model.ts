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

/** The config or script line responsible for a finding. */
export interface RelatedLine extends SourceLine {
  /**
   * `exit`: the script's `exit N` with the code the agent saw; `wait`: the script's wait most likely
   * to outlast the limit; `scriptStart`: the script, when no line of it says more; `configKey`: the
   * script config's key (its first line when the key is absent and its default applies).
   */
  reason: 'exit' | 'wait' | 'scriptStart' | 'configKey';
  /** For `configKey`. */
  key?: string;
  /** The script the line is in. */
  script?: 'pre' | 'post';
  /** Every line that fits, when more than one does (several `exit 2`). */
  lines?: number[];
}

export interface Finding extends SourceLine {
  code: string;
  severity: FindingSeverity;
  message: string;
  /** The config or script line responsible, when the config was given too (and its scripts were readable). */
  related?: RelatedLine;
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
  /** The script config the agent reads, whatever its name (the host conf may name another file). */
  kind?: 'scriptConfig';
}

export interface ExplainResult {
  runs: RunReport[];
}
