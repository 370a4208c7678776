import type { LogEntry } from './entries';

/**
 * One backup run's lines, gathered from every file: the enable and the daemon process of one
 * sequence number (agent-logs.md §3), with the buffered freeze block put back where it happened.
 */
export interface RunLines {
  sequenceNumber: number | null;
  taskIds: string[];
  entries: LogEntry[];
  /** A process of this run was seen starting, so its early lines are in the text. */
  startSeen: boolean;
  /** Another run's lines were mixed with this one's; lines that could belong to either were dropped. */
  interleaved: boolean;
  /** Only a re-invoked enable (same sequence number or task): not a backup. */
  skippedOnly: boolean;
}

const START_MARKERS = [
  /^try_parse_context : Sequence Number received (-?\d+)\s*$/,
  /^sequence number from environment variable is (-?\d+)\s*$/,
  /^sequence number based on config file-names is (-?\d+)\s*$/,
  /^ConfigSequenceNumber from environment variable seqNo:(-?\d+)\s*$/,
];
const WAAGENT_START = /handle\.sh enable\b.*"ConfigSequenceNumber": "(\d+)"/;
const FINAL_STATUS = /^Enable,(\w+),(\d+),/;
const SKIP_LINES = [/^the sequence number are same, so skip/, /^TaskId is same as last, so skip/, /^TaskId AlreadyProcessed nothing to do/];
const TASK_ID = [/^taskId: ([0-9A-Fa-f-]{36})\s*$/, /"taskId": "([0-9A-Fa-f-]{36})"/];
/** Longer than the agent's 140-minute deadline: a run silent for that long is over (hung or killed). */
const DEAD_RUN_MS = 3 * 60 * 60 * 1000;

export function startMarker(entry: LogEntry): number | undefined {
  if (entry.partial) return undefined;
  if (entry.kind === 'waagent') {
    const match = WAAGENT_START.exec(entry.message);
    return match ? Number(match[1]) : undefined;
  }
  if (entry.kind !== 'agent' && entry.kind !== 'shell') return undefined;
  for (const pattern of START_MARKERS) {
    const match = pattern.exec(entry.message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

export function finalStatusCode(entry: LogEntry): number | undefined {
  const match = entry.kind === 'agent' || entry.kind === 'inner' ? FINAL_STATUS.exec(entry.message) : null;
  return match ? Number(match[2]) : undefined;
}

function taskIdOf(entry: LogEntry): string | undefined {
  if (entry.partial) return undefined;
  for (const pattern of TASK_ID) {
    const match = pattern.exec(entry.message);
    if (match) return match[1].toLowerCase();
  }
  return undefined;
}

interface OpenRun {
  lines: RunLines;
  ended: boolean;
  lastWallMs?: number;
  lastClock?: string;
}

/**
 * Splits the entries of one file into runs. No line carries a run id, so lines are attributed to
 * the run whose process started last; when two runs are open at once (a retry overlapping a
 * slow daemon), a line could be either's and is dropped, both runs are marked interleaved, and
 * attribution resumes at the next process start once every open run has ended.
 */
export function splitRuns(entries: readonly LogEntry[]): RunLines[] {
  const runs: OpenRun[] = [];
  let current: OpenRun | undefined;
  let ambiguous = false;

  const newRun = (sequenceNumber: number | null): OpenRun => {
    const run: OpenRun = { lines: { sequenceNumber, taskIds: [], entries: [], startSeen: false, interleaved: false, skippedOnly: false }, ended: false };
    runs.push(run);
    return run;
  };
  const isDead = (run: OpenRun, entry: LogEntry): boolean =>
    run.ended || (entry.time !== undefined && run.lastWallMs !== undefined && run.lastClock === entry.time.clock && entry.time.wallMs - run.lastWallMs > DEAD_RUN_MS);

  for (const entry of entries) {
    const sequence = startMarker(entry);
    if (sequence !== undefined && sequence >= 0) {
      const open = runs.filter((run) => run.lines.sequenceNumber !== null && run.lines.sequenceNumber !== sequence && !isDead(run, entry));
      // Lines before the first start are a run of unknown number: the tail of an earlier run or this run's enable.
      for (const run of runs) if (run.lines.sequenceNumber === null) run.ended = true;
      if (open.length > 0 && !ambiguous) {
        ambiguous = true;
        for (const run of open) run.lines.interleaved = true;
      }
      let run = runs.find((candidate) => candidate.lines.sequenceNumber === sequence);
      if (!run) run = newRun(sequence);
      run.lines.startSeen = true;
      if (ambiguous) {
        run.lines.interleaved = true;
        run.lines.entries.push(entry);
        current = undefined;
        continue;
      }
      current = run;
    } else if (ambiguous) {
      // One of the open runs ended; when all have, the next process start is unambiguous again.
      if (finalStatusCode(entry) !== undefined && finalStatusCode(entry) !== 4) {
        const stillOpen = runs.filter((run) => run.lines.interleaved && !run.ended);
        if (stillOpen.length <= 1) {
          for (const run of stillOpen) run.ended = true;
          for (const run of runs) if (run.lines.interleaved) run.ended = true;
          ambiguous = false;
        } else {
          // We cannot tell which one ended; the count is what matters.
          stillOpen[stillOpen.length - 1].ended = true;
        }
      }
      continue;
    }
    if (!current) current = newRun(null);
    current.lines.entries.push(entry);
    if (entry.time) {
      current.lastWallMs = entry.time.wallMs;
      current.lastClock = entry.time.clock;
    }
    const taskId = taskIdOf(entry);
    if (taskId && !current.lines.taskIds.includes(taskId)) current.lines.taskIds.push(taskId);
    const code = finalStatusCode(entry);
    if (code !== undefined && code !== 4) current.ended = true;
  }
  return mergeByTask(runs.map((run) => markSkipped(run.lines)));
}

function markSkipped(run: RunLines): RunLines {
  const skipped = run.entries.some((entry) => SKIP_LINES.some((pattern) => pattern.test(entry.message)));
  return { ...run, skippedOnly: skipped && !run.entries.some(isRunWork) };
}

/** Lines only a backup (not a skipped re-invocation) writes. */
function isRunWork(entry: LogEntry): boolean {
  return /^(starting daemon|Loading script modules|T:S |Enable,|Calling do snapshot)/.test(entry.message);
}

/** A run of unknown number that shares its task id with a numbered run is that run's first part. */
function mergeByTask(runs: RunLines[]): RunLines[] {
  const result: RunLines[] = [];
  for (const run of runs) {
    if (run.sequenceNumber === null && run.taskIds.length > 0) {
      const owner = runs.find((other) => other !== run && other.sequenceNumber !== null && other.taskIds.some((id) => run.taskIds.includes(id)));
      if (owner) {
        owner.entries.unshift(...run.entries);
        continue;
      }
    }
    result.push(run);
  }
  return result;
}

/**
 * Puts freeze-block lines back in time: they were buffered from "proceeded for accepting
 * signals" until thaw (or the end of the run) and written later as one burst.
 */
export function retimeFreezeBlock(entries: readonly LogEntry[]): LogEntry[] {
  const block = entries.filter((entry) => entry.inFreezeBlock);
  if (block.length === 0) return [...entries];
  const rest = entries.filter((entry) => !entry.inFreezeBlock);
  const anchor = rest.findIndex((entry) => /^proceeded for accepting signals/.test(entry.message));
  if (anchor < 0) return [...entries];
  return [...rest.slice(0, anchor + 1), ...block, ...rest.slice(anchor + 1)];
}
