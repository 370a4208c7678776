import type { FileSystem } from '../fs/fileSystem';
import type { LogEntry } from './entries';
import { readEntries } from './entries';
import { runFindings } from './findings';
import { linkFinding, LinkSources, readLinkSources } from './findingLinks';
import type { ExplainResult, LogSource, RunReport, SourceLine, TimelineEvent } from './model';
import { addStatusFile, collectFacts, conclude, RunFacts } from './reconstruct';
import { retimeFreezeBlock, RunLines, splitRuns } from './runs';
import { readStatusReport, StatusReport } from './statusReport';

export interface ExplainOptions {
  /** Only the last N runs (in the order the text gives them). */
  last?: number;
  /** Reads the scripts the script config names, to link findings to their lines; without it, findings link to the config only. */
  fileSystem?: FileSystem;
  /** The folder that stands for the VM's / (`/` for the VM's own files), where the config's script paths resolve. */
  root?: string;
}

const CONFIG_NAME = /(?:^|[\\/])VMSnapshotScriptPluginConfig\.json$/;

const STATUS_NAME = /(?:^|[\\/])(\d+)(?:\.status|_status)$/;

interface StatusSource {
  path: string;
  sequenceNumber: number | null;
  report: StatusReport;
}

function statusSource(source: LogSource): StatusSource | undefined {
  const trimmed = source.text.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return undefined;
  const report = readStatusReport(source.text);
  if (!report) return undefined;
  const name = STATUS_NAME.exec(source.path);
  return { path: source.path, sequenceNumber: name ? Number(name[1]) : null, report };
}

function mergeRuns(groups: RunLines[][]): RunLines[] {
  const merged: RunLines[] = [];
  for (const group of groups) {
    for (const run of group) {
      const same = run.sequenceNumber !== null ? merged.find((other) => other.sequenceNumber === run.sequenceNumber) : undefined;
      if (same) {
        same.entries.push(...run.entries);
        same.startSeen ||= run.startSeen;
        same.interleaved ||= run.interleaved;
        same.skippedOnly &&= run.skippedOnly;
        for (const id of run.taskIds) if (!same.taskIds.includes(id)) same.taskIds.push(id);
      } else merged.push({ ...run, entries: [...run.entries], taskIds: [...run.taskIds] });
    }
  }
  return merged;
}

/** Each file's lines in the order they happened, files one after the other. */
function orderedEntries(run: RunLines): LogEntry[] {
  const byFile = new Map<string, LogEntry[]>();
  for (const entry of run.entries) {
    const list = byFile.get(entry.file) ?? [];
    list.push(entry);
    byFile.set(entry.file, list);
  }
  return [...byFile.values()].flatMap(retimeFreezeBlock);
}

function timeline(facts: RunFacts, evidence: readonly SourceLine[]): TimelineEvent[] {
  const wanted = new Set(evidence.map((source) => `${source.file}\0${source.line}`));
  for (const entry of facts.milestones.values()) wanted.add(`${entry.file}\0${entry.line}`);
  for (const entry of [facts.freezeStart, facts.acceptingSignals, facts.snapshotStart, facts.pre.finished?.entry, facts.post.finished?.entry, facts.lastEntry]) {
    if (entry) wanted.add(`${entry.file}\0${entry.line}`);
  }
  for (const entry of [...facts.pre.running.values(), ...facts.post.running.values()]) wanted.add(`${entry.file}\0${entry.line}`);
  const events: TimelineEvent[] = [];
  const seen = new Set<string>();
  for (const entry of facts.entries) {
    const key = `${entry.file}\0${entry.line}`;
    if (!wanted.has(key) || seen.has(key)) continue;
    seen.add(key);
    events.push({ file: entry.file, line: entry.line, time: entry.time?.iso ?? null, text: entry.message.length > 300 ? `${entry.message.slice(0, 300)}…` : entry.message });
  }
  return events;
}

function report(run: RunLines, statuses: readonly StatusSource[], links: LinkSources | undefined): RunReport | undefined {
  const facts = collectFacts(run, orderedEntries(run));
  for (const status of statuses) {
    const matches = (run.sequenceNumber !== null && status.sequenceNumber === run.sequenceNumber) || (status.report.taskId !== null && run.taskIds.includes(status.report.taskId.toLowerCase()));
    if (matches) addStatusFile(facts, { file: status.path, line: 1, endLine: 1, kind: 'other', message: '', partial: false, inFreezeBlock: false }, status.report);
  }
  const conclusions = conclude(facts);
  const findings = runFindings(facts, conclusions);
  if (links) {
    const limits = { limitSeconds: [...facts.plugins.values()][0]?.timeout, stoppedAt: facts.precheck?.stopped ? facts.precheck.entry : undefined };
    for (const finding of findings) {
      const related = linkFinding(finding, conclusions, links, limits);
      if (related) finding.related = related;
    }
  }
  const hasContent =
    run.sequenceNumber !== null ||
    conclusions.finalCode !== null ||
    conclusions.pre.result !== 'unknown' ||
    conclusions.post.result !== 'unknown' ||
    conclusions.freeze !== 'unknown' ||
    conclusions.scriptConfig !== 'unknown' ||
    findings.some((finding) => finding.severity !== 'information');
  if (!hasContent) return undefined;
  const allEvidence = [...Object.values(conclusions.evidence).flat(), ...findings];
  const { start, taskId, status: _status, evidence, ...outcome } = conclusions;
  // In the order of the JSON contract.
  return { start, key: { sequenceNumber: run.sequenceNumber, taskId }, ...outcome, findings, evidence, timeline: timeline(facts, allEvidence), interleaved: run.interleaved };
}

/**
 * Explains backup runs from any mix of the agent's files and excerpts of them: `extension.log`,
 * `shell.log`, `<N>.status` (or the status blob), `waagent.log`. Never throws; a field the text
 * does not establish is "unknown" (or null), and every conclusion names its lines.
 */
export function explainLogs(sources: readonly LogSource[], options: ExplainOptions = {}): ExplainResult {
  const statuses: StatusSource[] = [];
  const groups: RunLines[][] = [];
  let config: LogSource | undefined;
  for (const source of sources) {
    if (source.kind === 'scriptConfig' || CONFIG_NAME.test(source.path)) {
      config = source;
      continue;
    }
    const status = statusSource(source);
    if (status) statuses.push(status);
    else groups.push(splitRuns(readEntries(source.path, source.text)));
  }
  const runs = mergeRuns(groups).filter((run) => !run.skippedOnly);
  // Status files without any log line still tell a run's result.
  for (const status of statuses) {
    const known = runs.some((run) => (status.sequenceNumber !== null && run.sequenceNumber === status.sequenceNumber) || (status.report.taskId !== null && run.taskIds.includes(status.report.taskId.toLowerCase())));
    if (!known) runs.push({ sequenceNumber: status.sequenceNumber, taskIds: status.report.taskId ? [status.report.taskId.toLowerCase()] : [], entries: [], startSeen: false, interleaved: false, skippedOnly: false });
  }
  const links = config && readLinkSources(config, options.fileSystem, options.root);
  let reports = runs.map((run) => report(run, statuses, links)).filter((run): run is RunReport => run !== undefined);
  if (options.last !== undefined && options.last >= 0) reports = reports.slice(Math.max(0, reports.length - options.last));
  return { runs: reports };
}
