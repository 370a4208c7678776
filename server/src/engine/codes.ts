/**
 * Every diagnostic code in one place. Where a finding is one of the agent's own failures, the
 * code is the Azure documentation's error name, because that is what users search for; the
 * other codes name what the agent silently does instead of what the user meant.
 */
export const DiagnosticCode = {
  // The docs' names (the agent fails, or falls back without saying so).
  incorrectJsonConfigFile: 'IncorrectJSONConfigFile',
  incorrectPluginhostFile: 'IncorrectPluginhostFile',
  preScriptNotFound: 'Pre-ScriptNotFound',
  postScriptNotFound: 'Post-ScriptNotFound',
  preScriptPermission: 'InsufficientPermissionforPre-Script',
  postScriptPermission: 'InsufficientPermissionforPost-Script',
  preScriptTimeout: 'Pre-ScriptTimeout',
  preScriptExecutionFailed: 'Pre-ScriptExecutionFailed',
  postScriptExecutionFailed: 'Post-ScriptExecutionFailed',
  // Agent failures the docs do not name.
  pluginConfigNotFound: 'PluginConfigNotFound',
  pluginConfigPermission: 'PluginConfigPermission',
  agentRunThreadCrash: 'AgentRunThreadCrash',
  backupFails: 'BackupFails',
  // What the agent silently does differently.
  duplicateKey: 'DuplicateKey',
  unknownKey: 'UnknownKey',
  staleKey: 'StaleKey',
  invalidValue: 'InvalidValue',
  timeoutCapped: 'TimeoutCapped',
  timeoutDefault: 'TimeoutDefault',
  timeoutRounded: 'TimeoutRounded',
  pollIgnored: 'PollTimeIgnored',
  pollTruncated: 'PollTimeTruncated',
  paramsSplit: 'ParamsSplitIntoCharacters',
  paramConverted: 'ParamConverted',
  emptyParam: 'EmptyParam',
  retriesIgnored: 'RetriesHaveNoEffect',
  nonFiniteNumber: 'NonFiniteNumber',
  booleanAsOther: 'NotABoolean',
  configIgnored: 'ConfigIgnoredByAgent',
  timeoutNeverFires: 'TimeoutNeverFires',
  relativeScriptPath: 'RelativeScriptPath',
  // Not the agent's: what this tool could not see.
  accessDenied: 'CannotReadAsThisUser',
} as const;

/**
 * The script checks' codes. ShellCheck's own findings keep ShellCheck's codes (`SC2086`), so
 * they are not listed here.
 */
export const ScriptCode = {
  /** A construct that POSIX sh as Debian's dash runs it rejects or runs differently from bash. */
  notPosix: 'ScriptNotPosix',
  /** CRLF line endings: dash reads the `\r` as part of the last word of each line. */
  crlf: 'ScriptCrlf',
  /** A UTF-8 byte order mark: glued to the first word, so the first command is not found. */
  bom: 'ScriptBom',
  /** A shebang naming another interpreter: the agent runs `sh <script>`, which ignores it. */
  shebangIgnored: 'ShebangIgnored',
  /** Binary content (NUL bytes, an executable): `sh` cannot run it. */
  notText: 'ScriptNotText',
  /** Output left on the agent's pipes, which nobody reads: 64 KiB of it blocks the script. */
  outputNotRedirected: 'ScriptOutputNotRedirected',
  /** The script is larger than the checker reads; the rest was not checked. */
  truncated: 'ScriptTruncated',
  /** A file the script reads with `. file` is not there, or is named by a relative path. */
  sourcedNotFound: 'SourcedFileNotFound',
  /** ShellCheck could not be run or its answer could not be read. */
  shellcheckFailed: 'ShellCheckFailed',
  // What the scripts do at backup time (stable: other tools match on them).
  /** A session-scoped lock or backup mode taken in a client that exits at once. */
  lockReleasedAtOnce: 'LockReleasedAtOnce',
  /** A quiesce that outlives the script with nothing to end it if the post-script never runs. */
  quiesceUnbounded: 'QuiesceUnbounded',
  /** A database command the current versions removed. */
  removedApi: 'RemovedApi',
  /** The status tested is not the command's, or a quiesce's status is never tested. */
  exitStatusLost: 'ExitStatusLost',
  /** A path where the quiesce or resume failed ends in exit 0. */
  failureExitsZero: 'FailureExitsZero',
  /** A non-zero exit meant as a warning or a success: the agent calls it a failure. */
  nonZeroExitIsFailure: 'NonZeroExitIsFailure',
  /** A placeholder of a sample left in: `<password>`, `YOUR_DB`, `******`, `@BINDIR@`. */
  placeholderLeft: 'PlaceholderLeft',
  /** A password on a command line (visible in ps) or written in the script. */
  secretOnCommandLine: 'SecretOnCommandLine',
  /** The script freezes file systems that the agent freezes too. */
  selfFreeze: 'SelfFreeze',
  /** A file the script runs is not there. */
  helperNotFound: 'HelperNotFound',
  /** A wait longer than the agent's time limit, or work that grows with the data. */
  waitExceedsTimeout: 'WaitExceedsTimeout',
  /** A pre-script that runs no application command at all. */
  nothingQuiesced: 'NothingQuiesced',
  /** A post-script that resumes what the pre-script did not record having stopped. */
  resumeWithoutState: 'ResumeWithoutState',
  /** `sudo` in a script the agent runs as root, without a terminal. */
  sudoInRootScript: 'SudoInRootScript',
  /** The pre-script quiesces something the post-script never undoes. */
  undoMissing: 'UndoMissing',
} as const;

export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** The order in which the agent checks things; the first failure is the one it reports. */
export const AgentStage = {
  hostConf: 0,
  configFile: 1,
  configLoad: 2,
  preScript: 3,
  postScript: 4,
  run: 5,
} as const;

export type AgentStageValue = (typeof AgentStage)[keyof typeof AgentStage];

export const HOST_CAP_DEFAULT_SECONDS = 1800;
export const AGENT_DEFAULT_TIMEOUT_SECONDS = 10;
export const AGENT_DEFAULT_POLL_SECONDS = 3;
export const CONFIG_FILE_NAME = 'VMSnapshotScriptPluginConfig.json';
export const CONFIG_VM_PATH = '/etc/azure/VMSnapshotScriptPluginConfig.json';
export const HOST_CONF_VM_PATH = '/etc/azure/VMSnapshotPluginHost.conf';
export const WORKLOAD_CONF_VM_PATH = '/etc/azure/workload.conf';
