import type { LogEntry } from './entries';
import type { Consistency, EvidenceField, FreezeResult, RunOutcome, ScriptConfigState, ScriptResult, SnapshotResult, SourceLine } from './model';
import { finalStatusCode, RunLines, startMarker } from './runs';
import { readStatusReport, StatusReport } from './statusReport';
import { statusCodeByName } from './statusCodes';

/** What one side's scripts did, per plugin, and the lines that say so. */
export interface SideFacts {
  running: Map<string, LogEntry>;
  results: Map<string, { result: 'success' | 'failed' | 'timedOut'; exitCode: number | null; entry: LogEntry }>;
  retryLines: LogEntry[];
  finished?: { entry: LogEntry; continueBackup: boolean };
  reportedFailure?: { entry: LogEntry; code: number | undefined; plugin: string };
}

export interface PluginSettings {
  timeout: number;
  pollCount: number;
  continueBackupOnFailure?: boolean;
  fsFreeze?: boolean;
  entry: LogEntry;
}

/** Everything the reconstruction read from a run's lines, kept with its source lines. */
export interface RunFacts {
  run: RunLines;
  entries: LogEntry[];
  pre: SideFacts;
  post: SideFacts;
  pluginCount?: number;
  plugins: Map<string, PluginSettings>;
  precheck?: { code: number | undefined; entry: LogEntry; stopped: boolean };
  configLoaded?: LogEntry;
  workload?: LogEntry;
  workloadFailure?: { entry: LogEntry; code: number | undefined; warning: boolean };
  workloadPre?: { entry: LogEntry; ok: boolean };
  workloadPost?: { entry: LogEntry; ok: boolean };
  freezeStart?: LogEntry;
  skipFreeze?: LogEntry;
  acceptingSignals?: LogEntry;
  freezeCompleted?: LogEntry;
  freezeFailed?: LogEntry;
  freezeTimedOut?: LogEntry;
  freezeDetail?: LogEntry;
  milestones: Map<number, LogEntry>;
  crashFallbackAllowed?: LogEntry;
  thawBroken?: LogEntry;
  snapshotStart?: LogEntry;
  disks: { ok: boolean; entry: LogEntry }[];
  snapshotSummary?: { entry: LogEntry; allFailed: boolean };
  snapshotFailure?: { entry: LogEntry; code: number | undefined };
  finalStatus?: { entry: LogEntry; code: number; word: string };
  statusReports: { entry: LogEntry; report: StatusReport }[];
  statusWriteFailed?: LogEntry;
  crpTimeout?: LogEntry;
  shellNeverRan?: LogEntry;
  lastEntry?: LogEntry;
}

const SIDE = '(Pre|Post)';
const PATTERNS = {
  running: /^Running (pre|post)script for (.+?) module\.\.\.\s*$/,
  timedOut: new RegExp(`^${SIDE}script for (.+?) timed out\\.\\s*$`),
  retrying: new RegExp(`^${SIDE}script for (.+?) failed\\. Retrying\\.\\.\\.\\s*$`),
  failedCode: new RegExp(`^${SIDE}script for (.+?) failed with error code: (-?\\d+) \\.\\s*$`),
  succeeded: new RegExp(`^${SIDE}script for (.+?) successfully executed\\.\\s*$`),
  finished: /^Finished (pre|post)script execution from PluginHost side\. Continue Backup: (True|False)\s*$/,
  pluginCount: /^numberOfPlugins: (\d+)\s*$/,
  pluginSettings: /^Plugin:(.+?) timeout:(\d+) pollTotalCount:(\d+) preScriptParams:.* continueBackupOnFailure:(True|False) .*Global FS Freeze on :(True|False)/,
  validate: /^Validate Scripts output: errorCode - (\d+) dobackup - (True|False) /,
  fallback: /^Triggering File System Consistent Backup because of error code StatusCode\.(\w+),/,
  precheckStopped: /^Plugin Host Precheck Failed StatusCode\.(\w+),/,
  configLoaded: /^App Consistent Consistent Backup Enabled/,
  scriptReported: /^(Pre|Post)Script failed for the plugin (.+?) StatusCode\.(\w+),/,
  workload: /^workload backup enabled for workload: \S+/,
  workloadFailure: /^Workload Patch failed with (error|warning) message: .*StatusCode\.(\w+),/,
  workloadPreOk: /^WorkloadPatch: (?:pre success is true|pre at server level completed)/,
  workloadPreFailed: /^WorkloadPatch: (?:Pre failed for|pre failed to quiesce|sql connection failed|exception in pre)/,
  workloadPostOk: /^WorkloadPatch: post succeeded/,
  workloadPostFailed: /^WorkloadPatch: (?:Not app consistent backup|exception in post|Database log mode changed during backup|Database status changed during backup)/,
  freezeStart: /^T:S freeze, timeout value \d+/,
  skipFreeze: /^skip freeze is : True\s*$/,
  acceptingSignals: /^proceeded for accepting signals/,
  milestone: /^\*{6} (\d)\. (.*)$/,
  sigHandle: /^(?:freeze_safe after returning from startproc : sig_handle=|Binary output for signal handled: )([0-2])\s*$/,
  freezeTimedOut: /^(?:freeze timed-out|T:S #+ Enable failed with error: freeze took longer than timeout)/,
  freezeFailed: /^(?:freeze failed for some mount|file open failed for some mount|Mount Points already freezed by some other processor|T:S Enable failed with error: .*StatusCode\.(?:FailedRetryableFsFreezeFailed|FailedRetryableUnableToOpenMount),)/,
  freezeResult: /^T:S freeze result (.*), timedout :(True|False)\s*$/,
  binaryFailure: /^(?:Failed to FIFREEZE: |Failed to open: |Failed to stat: |Path not a directory: |freezing the mount: .*failed|Failed to FIFREEZE)/,
  crashFlag: /takeCrashConsistentSnapshot=True/,
  thawBroken: /^(?:snapshot result inconsistent|Snapshots are inconsistent|T:S Machine unable to sleep|Unable to execute sleep|Failed to receive timely Thaw from parent process)/,
  snapshotStart: /^(?:\*{6} 5\. Snaphotting|start calling the snapshot rest api|doing snapshotall now)/,
  hostDisk: /^From Host- IsSuccessful:(true|false), SnapshotUri:/i,
  guestDisk: /^snapshot_info_indexer: index: \d+ isSuccessful: (true|false) /i,
  snapshotEnds: /^(?:T:S snapshotall ends|T:S takeSnapshotFromHost, |T:S \*+ takeSnapshotFromGuest)/,
  snapshotSummary: /^doFreezeSnapshot : run_result - -?\d+ run_status - \w+ all_failed - (True|False) /,
  snapshotFailure: /^(?:T:S Enable failed with \w+ err+or StatusCode\.(\w+),|Retrying when snapshot failed with SnapshotRateExceeded)/,
  statusJson: /^(?:file|blob) status report message:\s*(.*)$/s,
  statusWriteFailed: /^(?:cannot get status report parameters , Exception|Status file creation failed with error)/,
  crpTimeout: /^(?:CRP timeout limit has reached|T:S takeSnapshotFrom\w+ : Thawing as failing due to CRP timeout)/,
  pythonUnknown: /^python version unknown/,
  shellReturned: /^3 returned from handle\.py\s*$/,
};

function codeOf(name: string | undefined): number | undefined {
  return name === undefined ? undefined : statusCodeByName(name)?.code;
}

function newSide(): SideFacts {
  return { running: new Map(), results: new Map(), retryLines: [] };
}

function sideOf(word: string): 'pre' | 'post' {
  return word.toLowerCase() === 'pre' ? 'pre' : 'post';
}

/** Reads the facts of one run's lines (already in the order they happened). */
export function collectFacts(run: RunLines, entries: readonly LogEntry[]): RunFacts {
  const facts: RunFacts = { run, entries: [...entries], pre: newSide(), post: newSide(), plugins: new Map(), milestones: new Map(), disks: [], statusReports: [] };
  let pythonUnknown = false;
  for (const entry of entries) {
    if (entry.kind === 'blank') continue;
    facts.lastEntry = entry;
    // A line cut anywhere (the end of a pasted excerpt) proves nothing, except the final status,
    // whose code is followed by a comma.
    if (entry.partial && finalStatusCode(entry) === undefined) continue;
    const m = entry.message;
    let match: RegExpExecArray | null;
    if (entry.kind === 'shell') {
      if (PATTERNS.pythonUnknown.test(m)) pythonUnknown = true;
      else if (pythonUnknown && PATTERNS.shellReturned.test(m)) facts.shellNeverRan = entry;
      continue;
    }
    if (startMarker(entry) !== undefined) pythonUnknown = false;
    if ((match = PATTERNS.running.exec(m))) facts[sideOf(match[1])].running.set(match[2], entry);
    else if ((match = PATTERNS.timedOut.exec(m))) facts[sideOf(match[1])].results.set(match[2], { result: 'timedOut', exitCode: null, entry });
    else if ((match = PATTERNS.retrying.exec(m))) {
      const side = facts[sideOf(match[1])];
      side.retryLines.push(entry);
      if (!side.results.has(match[2])) side.results.set(match[2], { result: 'failed', exitCode: null, entry });
    } else if ((match = PATTERNS.failedCode.exec(m))) facts[sideOf(match[1])].results.set(match[2], { result: 'failed', exitCode: Number(match[3]), entry });
    else if ((match = PATTERNS.succeeded.exec(m))) facts[sideOf(match[1])].results.set(match[2], { result: 'success', exitCode: 0, entry });
    else if ((match = PATTERNS.finished.exec(m))) facts[sideOf(match[1])].finished = { entry, continueBackup: match[2] === 'True' };
    else if ((match = PATTERNS.pluginCount.exec(m))) facts.pluginCount = Number(match[1]);
    else if ((match = PATTERNS.pluginSettings.exec(m)))
      facts.plugins.set(match[1], { timeout: Number(match[2]), pollCount: Number(match[3]), continueBackupOnFailure: match[4] === 'True', fsFreeze: match[5] === 'True', entry });
    else if ((match = PATTERNS.validate.exec(m))) {
      const code = Number(match[1]);
      if (code !== 0 && !facts.precheck) facts.precheck = { code, entry, stopped: false };
    } else if ((match = PATTERNS.fallback.exec(m))) facts.precheck = { code: codeOf(match[1]), entry, stopped: false };
    else if ((match = PATTERNS.precheckStopped.exec(m))) facts.precheck = { code: codeOf(match[1]), entry, stopped: true };
    else if (PATTERNS.configLoaded.test(m)) facts.configLoaded ??= entry;
    else if ((match = PATTERNS.scriptReported.exec(m))) facts[sideOf(match[1])].reportedFailure ??= { entry, code: codeOf(match[3]), plugin: match[2] };
    else if (PATTERNS.workload.test(m)) facts.workload ??= entry;
    else if ((match = PATTERNS.workloadFailure.exec(m))) facts.workloadFailure ??= { entry, code: codeOf(match[2]), warning: match[1] === 'warning' };
    else if (PATTERNS.workloadPreFailed.test(m)) facts.workloadPre = { entry, ok: false };
    else if (PATTERNS.workloadPreOk.test(m)) facts.workloadPre ??= { entry, ok: true };
    else if (PATTERNS.workloadPostFailed.test(m)) facts.workloadPost = { entry, ok: false };
    else if (PATTERNS.workloadPostOk.test(m)) facts.workloadPost ??= { entry, ok: true };
    else if (PATTERNS.freezeStart.test(m)) facts.freezeStart ??= entry;
    else if (PATTERNS.skipFreeze.test(m)) facts.skipFreeze ??= entry;
    else if (PATTERNS.acceptingSignals.test(m)) facts.acceptingSignals ??= entry;
    else if ((match = PATTERNS.milestone.exec(m))) {
      const number = Number(match[1]);
      if (number >= 1 && number <= 9 && !facts.milestones.has(number)) facts.milestones.set(number, entry);
      if (number === 4) facts.freezeCompleted ??= entry;
    } else if ((match = PATTERNS.sigHandle.exec(m))) {
      if (match[1] === '1') facts.freezeCompleted ??= entry;
      else if (match[1] === '2') facts.freezeFailed ??= entry;
      else facts.freezeTimedOut ??= entry;
    } else if (PATTERNS.freezeTimedOut.test(m)) facts.freezeTimedOut ??= entry;
    else if (PATTERNS.freezeFailed.test(m)) facts.freezeFailed ??= entry;
    else if ((match = PATTERNS.freezeResult.exec(m))) {
      if (match[2] === 'True') facts.freezeTimedOut ??= entry;
      else if (match[1].trim() === '' || match[1].trim() === '[]') facts.freezeCompleted ??= entry;
      else facts.freezeFailed ??= entry;
    } else if (entry.kind === 'binary' && PATTERNS.binaryFailure.test(m)) facts.freezeDetail ??= entry;
    else if (PATTERNS.crashFlag.test(m)) facts.crashFallbackAllowed ??= entry;
    else if (PATTERNS.thawBroken.test(m)) facts.thawBroken ??= entry;
    else if (PATTERNS.snapshotStart.test(m)) facts.snapshotStart ??= entry;
    else if ((match = PATTERNS.hostDisk.exec(m) ?? PATTERNS.guestDisk.exec(m))) facts.disks.push({ ok: match[1].toLowerCase() === 'true', entry });
    else if ((match = PATTERNS.snapshotSummary.exec(m))) facts.snapshotSummary = { entry, allFailed: match[1] === 'True' };
    else if (PATTERNS.snapshotEnds.test(m)) facts.snapshotSummary ??= { entry, allFailed: false };
    else if ((match = PATTERNS.snapshotFailure.exec(m))) facts.snapshotFailure ??= { entry, code: match[1] ? codeOf(match[1]) : 173 };
    else if ((match = PATTERNS.statusJson.exec(m))) {
      const report = readStatusReport(match[1]);
      if (report) facts.statusReports.push({ entry, report });
    } else if (PATTERNS.statusWriteFailed.test(m)) facts.statusWriteFailed ??= entry;
    else if (PATTERNS.crpTimeout.test(m)) facts.crpTimeout ??= entry;
    else {
      const code = finalStatusCode(entry);
      if (code !== undefined && code !== 4 && !facts.finalStatus) facts.finalStatus = { entry, code, word: /^Enable,(\w+),/.exec(m)![1] };
    }
  }
  return facts;
}

/** A whole status file of this run, read like the logged copies. */
export function addStatusFile(facts: RunFacts, entry: LogEntry, report: StatusReport): void {
  facts.statusReports.push({ entry, report });
}

/** The run's outcome, with what the findings need besides: the task id and the status report used. */
export interface Conclusions extends RunOutcome {
  taskId: string | null;
  /** The newest terminal report (code other than 4), or else the newest one. */
  status?: { entry: LogEntry; report: StatusReport };
}

const ref = (entry: LogEntry | undefined): SourceLine[] => (entry ? [{ file: entry.file, line: entry.line }] : []);

/** Codes with which the agent stops before the snapshot (agent-logs.md §4.3–4.8, agent-config-files.md §5). */
const NO_SNAPSHOT_CODES = new Set([11, 16, 17, 121, 122, 123, 124, 300, 302, 303, 306, 307, 308, 310, 402]);

/** Enhanced-framework codes raised after the snapshot, by the post phase (agent-logs.md §4.11). */
const WORKLOAD_POST_CODES = new Set([504, 508, 510, 512]);

function scriptOutcome(facts: RunFacts, side: 'pre' | 'post', ended: boolean, scriptConfig: ScriptConfigState): { result: ScriptResult; exitCode: number | null; evidence: SourceLine[] } {
  const sideFacts = facts[side];
  const results = [...sideFacts.results.values()];
  const evidence = [...sideFacts.running.values(), ...results.map((result) => result.entry), ...(sideFacts.finished ? [sideFacts.finished.entry] : [])].map((entry) => ({ file: entry.file, line: entry.line }));
  if (typeof scriptConfig === 'number') return { result: 'notRun', exitCode: null, evidence: ref(facts.precheck?.entry) };
  if (scriptConfig === 'workload') {
    // The enhanced framework replaced the scripts: its own lines (and its failure code) say how pre and post went.
    const own = side === 'pre' ? facts.workloadPre : facts.workloadPost;
    const failureCode = facts.workloadFailure?.code;
    const failedHere = failureCode !== undefined && (side === 'post' ? WORKLOAD_POST_CODES.has(failureCode) : !WORKLOAD_POST_CODES.has(failureCode));
    if (own && !own.ok) return { result: 'failed', exitCode: null, evidence: ref(own.entry) };
    if (failedHere) return { result: 'failed', exitCode: null, evidence: ref(facts.workloadFailure?.entry) };
    if (own?.ok) return { result: 'success', exitCode: null, evidence: ref(own.entry) };
    return { result: 'unknown', exitCode: null, evidence: [] };
  }
  const concluded = sideFacts.finished !== undefined || (facts.pluginCount !== undefined && facts.pluginCount > 0 && results.length >= facts.pluginCount);
  if (concluded) {
    // The agent reports the first failure; with one plugin there is no doubt which.
    const timedOut = results.find((result) => result.result === 'timedOut');
    const failed = results.find((result) => result.result === 'failed');
    if (timedOut && failed) return { result: 'unknown', exitCode: null, evidence };
    if (timedOut) return { result: 'timedOut', exitCode: null, evidence };
    if (failed) return { result: 'failed', exitCode: results.filter((result) => result.result === 'failed').length === 1 ? failed.exitCode : null, evidence };
    if (results.length > 0) return { result: 'success', exitCode: 0, evidence };
    if (facts.pluginCount === 0 || sideFacts.running.size === 0) return { result: 'notRun', exitCode: null, evidence };
    return { result: 'unknown', exitCode: null, evidence };
  }
  if (results.length === 0 && sideFacts.running.size === 0 && ended && facts.run.startSeen && !facts.run.interleaved && (scriptConfig === 'loaded' || facts.pluginCount === 0)) {
    return { result: 'notRun', exitCode: null, evidence: ref(facts.finalStatus?.entry) };
  }
  return { result: 'unknown', exitCode: null, evidence };
}

function modernFormat(facts: RunFacts): boolean {
  // The freeze templates date from 2019-09: before that, no line about the freeze is no proof of no freeze.
  const time = facts.entries.find((entry) => entry.time)?.time;
  return time !== undefined && Number(time.iso.slice(0, 4)) >= 2020;
}

export function conclude(facts: RunFacts): Conclusions {
  const evidence: Partial<Record<EvidenceField, SourceLine[]>> = {};
  const terminal = facts.statusReports.filter((status) => status.report.code !== null && status.report.code !== 4);
  const status = terminal[terminal.length - 1] ?? facts.statusReports[facts.statusReports.length - 1];

  // Final and health codes.
  let finalCode: number | null = null;
  if (facts.finalStatus) {
    finalCode = facts.finalStatus.code;
    evidence.finalCode = ref(facts.finalStatus.entry);
  } else if (terminal.length > 0) {
    finalCode = status!.report.code;
    evidence.finalCode = ref(status!.entry);
  }
  const ended = finalCode !== null;
  let healthCode: number | null = null;
  const healthSource = [...terminal].reverse().find((entry) => entry.report.healthCode !== null || entry.report.extErrorCode !== null);
  if (healthSource) {
    healthCode = healthSource.report.healthCode ?? codeOf(healthSource.report.extErrorCode ?? undefined) ?? null;
    if (healthCode !== null) evidence.healthCode = ref(healthSource.entry);
  }

  // The script config.
  let scriptConfig: ScriptConfigState = 'unknown';
  if (facts.workload) {
    scriptConfig = 'workload';
    evidence.scriptConfig = ref(facts.workload);
  } else if (facts.precheck && facts.precheck.code !== undefined) {
    scriptConfig = facts.precheck.code;
    evidence.scriptConfig = ref(facts.precheck.entry);
  } else if (facts.configLoaded) {
    scriptConfig = 'loaded';
    evidence.scriptConfig = ref(facts.configLoaded);
  }

  const pre = scriptOutcome(facts, 'pre', ended, scriptConfig);
  const post = scriptOutcome(facts, 'post', ended, scriptConfig);
  evidence.pre = pre.evidence;
  evidence.post = post.evidence;

  // The freeze.
  let freeze: FreezeResult = 'unknown';
  let freezeEntry: LogEntry | undefined;
  if (facts.freezeTimedOut) [freeze, freezeEntry] = ['timedOut', facts.freezeTimedOut];
  else if (facts.freezeFailed) [freeze, freezeEntry] = ['failed', facts.freezeFailed];
  else if (facts.freezeCompleted) [freeze, freezeEntry] = ['completed', facts.freezeCompleted];
  else if (facts.skipFreeze) [freeze, freezeEntry] = ['notAttempted', facts.skipFreeze];
  else if (finalCode === 122) [freeze, freezeEntry] = ['timedOut', facts.finalStatus?.entry];
  else if (finalCode === 121 || finalCode === 123 || finalCode === 124) [freeze, freezeEntry] = ['failed', facts.finalStatus?.entry];
  else if (ended && facts.run.startSeen && !facts.run.interleaved && !facts.freezeStart && !facts.acceptingSignals && facts.milestones.size === 0 && modernFormat(facts)) {
    [freeze, freezeEntry] = ['notAttempted', facts.finalStatus?.entry];
  }
  evidence.freeze = [...ref(freezeEntry), ...ref(facts.freezeDetail)];
  const milestones = [...facts.milestones.keys()];
  // Milestone 9 before 8 is the binary exiting early, a failure sign, not progress.
  const reached = milestones.filter((number) => number !== 9 || facts.milestones.has(8));
  const lastMilestone = reached.length > 0 ? Math.max(...reached) : null;
  if (lastMilestone !== null) evidence.lastMilestone = ref(facts.milestones.get(lastMilestone));

  // The snapshot.
  let snapshot: SnapshotResult = 'unknown';
  const disks = facts.disks.length > 0 ? facts.disks.map((disk) => disk.ok) : (status?.report.disks ?? []);
  const snapshotConcluded = facts.snapshotSummary !== undefined || ended;
  if (snapshotConcluded && disks.length > 0) {
    snapshot = disks.every(Boolean) ? 'allDisks' : disks.some(Boolean) ? 'partial' : 'failed';
    evidence.snapshot = facts.disks.length > 0 ? facts.disks.map((disk) => ({ file: disk.entry.file, line: disk.entry.line })) : ref(status?.entry);
  } else if (facts.snapshotSummary?.allFailed || finalCode === 556 || finalCode === 85 || finalCode === 173) {
    snapshot = 'failed';
    evidence.snapshot = [...ref(facts.snapshotSummary?.entry), ...ref(facts.snapshotFailure?.entry), ...ref(facts.finalStatus?.entry)];
  } else if (finalCode === 76) {
    const restricted = facts.snapshotFailure?.code === 761 || healthCode === 761;
    snapshot = restricted ? 'partial' : facts.snapshotFailure?.code === 76 || healthCode === 76 ? 'failed' : 'unknown';
    evidence.snapshot = [...ref(facts.snapshotFailure?.entry), ...ref(facts.finalStatus?.entry)];
  } else if (finalCode === 0 || finalCode === 1) {
    snapshot = 'allDisks';
    evidence.snapshot = ref(facts.finalStatus?.entry ?? status?.entry);
  } else if (!facts.snapshotStart && facts.disks.length === 0 && ((finalCode !== null && NO_SNAPSHOT_CODES.has(finalCode)) || facts.pre.finished?.continueBackup === false || facts.precheck?.stopped)) {
    snapshot = 'notAttempted';
    evidence.snapshot = ref(facts.finalStatus?.entry ?? facts.pre.finished?.entry ?? facts.precheck?.entry);
  }

  // The consistency really reached: from the code, never from `snapshotConsistency` (0 for every app- and FS-consistent run).
  let consistency: Consistency = 'unknown';
  const crashReported = status?.report.snapshotConsistency === 3;
  if (finalCode === 0) consistency = 'application';
  else if (finalCode === 1) {
    if (crashReported || freeze === 'failed' || freeze === 'timedOut') consistency = 'crash';
    else if (freeze === 'completed') consistency = 'fileSystem';
    // Reported file-system consistent, but nothing was frozen and no script ran: only crash consistency.
    else if (freeze === 'notAttempted' && pre.result !== 'success') consistency = 'crash';
    else if (status?.report.snapshotConsistency !== null && status?.report.snapshotConsistency !== undefined) consistency = 'fileSystem';
  } else if (finalCode !== null) consistency = 'none';
  evidence.consistency = [...(evidence.finalCode ?? []), ...(consistency === 'crash' || consistency === 'fileSystem' ? (evidence.freeze ?? []) : [])];

  const taskId = facts.run.taskIds[0] ?? status?.report.taskId?.toLowerCase() ?? null;
  const startEntry = facts.entries.find((entry) => entry.time && !entry.inFreezeBlock && entry.kind !== 'binary');
  if (startEntry) evidence.start = ref(startEntry);
  return {
    start: startEntry?.time?.iso ?? null,
    taskId,
    pre: { result: pre.result, exitCode: pre.exitCode },
    post: { result: post.result, exitCode: post.exitCode },
    scriptConfig,
    freeze,
    lastMilestone,
    snapshot,
    consistency,
    finalCode,
    healthCode,
    status,
    evidence,
  };
}
