/** Zero-based line and UTF-16 column, as LSP and VS Code count them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/**
 * A finding of the engine, free of LSP types so that the CLI and the tests share it.
 * `data.rule` names the precise rule; quick fixes match on `code` and `data`, never on text.
 */
export interface EngineDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Local path of the file the finding is about, when it is not the analysed config itself. */
  file?: string;
  /** The agent's numeric error code this finding predicts, if any. */
  agentCode?: number;
  data?: DiagnosticData;
}

export interface DiagnosticData {
  rule: string;
  [key: string]: unknown;
}

/** The files an analysis judges; `other` is a file a finding names that was not looked at as one of these. */
export type JudgedFileKind = 'config' | 'hostConf' | 'workloadConf' | 'script' | 'sourced' | 'other';

/** One file's findings in an analysis; empty when the file was judged and found fine. */
export interface FileFindings {
  /** Local path of the file. */
  path: string;
  kind: JudgedFileKind;
  diagnostics: EngineDiagnostic[];
}
