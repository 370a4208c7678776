/**
 * The shapes of one physical line in the agent's files (agent-logs.md §2): which writer wrote
 * it decides its prefix and its clock. Classifying is pure and linear: every pattern is
 * anchored, and only the first MAX_MATCHED_CHARS of a line are looked at.
 */

export type Clock = 'utc' | 'local' | 'unknown';

export interface LogTime {
  /** As written in the file. */
  text: string;
  /** The wall-clock reading in ISO form (`2024-01-14T22:16:48.796446`), with `Z` only when it is UTC. */
  iso: string;
  /** The wall-clock reading as if it were UTC, for ordering readings of the same clock. */
  wallMs: number;
  clock: Clock;
}

export type LineKind =
  /** `<time> [P]message` (Python 3) or `<time> [P]message` (Python 2, waagent Logger), also `ERROR:`. */
  | 'agent'
  /** `YYYY/MM/DD HH:MM:SS.ffffff  Level  message ` — buffered freeze-block line, or a console copy. */
  | 'inner'
  /** A line of the safefreeze binary (`%F %X` local time) after the agent's prefix. */
  | 'binary'
  | 'blockStart'
  | 'blockEnd'
  /** `date -u`- message (handle.sh). */
  | 'shell'
  /** WALinuxAgent's own log. */
  | 'waagent'
  /** Anything else: a traceback, a JSON line, or the rest of a hard-wrapped line. */
  | 'other'
  | 'blank';

export interface ClassifiedLine {
  kind: LineKind;
  time?: LogTime;
  python?: 2 | 3;
  level?: 'Info' | 'Warning' | 'Error';
  /** The text after every prefix, what templates match. */
  message: string;
  /** A Python-2 line carrying only its date and time (multi-line message or the 2016 layout). */
  bareTime?: boolean;
}

export const MAX_MATCHED_CHARS = 8192;

const PREFIX = String.raw`\[(?:Microsoft\.Azure\.RecoveryServices\.VMSnapshotLinux|MyBackupTestLinuxInt)-[^\]\s]{1,40}\]`;
const PY3_TIME = String.raw`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{1,6}`;
const PY2_TIME = String.raw`\d{4}/\d\d/\d\d \d\d:\d\d:\d\d`;
const INNER3_TIME = String.raw`\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{1,6}`;
const LEVEL = '(Info|Warning|Error)';

const PY3_LINE = new RegExp(`^(${PY3_TIME}) ${PREFIX}(.*)$`, 's');
const PY2_LINE = new RegExp(`^(${PY2_TIME}) (?:(ERROR|WARNING|INFO|VERBOSE):)?${PREFIX}(.*)$`, 's');
const BARE_PREFIX_LINE = new RegExp(`^${PREFIX}(.*)$`, 's');
const PY2_INNER = new RegExp(`^(${PY2_TIME}) (${PY3_TIME})  ${LEVEL}  (.*)$`, 's');
const PY2_CONTINUATION = new RegExp(`^(${PY2_TIME})(?: (.*))?$`, 's');
const INNER3 = new RegExp(`^(${INNER3_TIME})  ${LEVEL}  (.*)$`, 's');
const CONSOLE2 = new RegExp(`^(${PY3_TIME})  ${LEVEL}  (.*)$`, 's');
const BINARY_MESSAGE = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)$/s;
const BLOCK_START = /^=+ ?Logs during Freeze Start ?=+\s*$/;
const BLOCK_END = /^=+ ?Logs during Freeze End ?=+\s*$/;
const SHELL_LINE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [ \d]\d \d\d:\d\d:\d\d ([A-Z]{1,6}|[+-]\d{2,4}) \d{4}- ?(.*)$/s;
const WAAGENT_LINE = /^(\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d(?:\.\d+)?Z?) (INFO|WARNING|ERROR|VERBOSE):? (.*)$/s;
/** A serial-console capture puts the kernel's uptime or a tool's stamp in front. */
const CONSOLE_DECORATION = /^\[\s*\d+\.\d+\]\s?/;
/** Newer agents name the function before the message. */
const FUNCTION_TAG = /^\[[\w.]{1,80}\] -> /;

/** Python 3 lines are UTC since the agent's 2021-09 change (PR #1409), local time before. */
function python3Clock(year: number, month: number): Clock {
  if (year > 2021 || (year === 2021 && month >= 10)) return 'utc';
  if (year === 2021 && month === 9) return 'unknown';
  return 'local';
}

function timeOf(text: string, clockFor: (year: number, month: number) => Clock): LogTime | undefined {
  const match = /^(\d{4})[-/](\d\d)[-/](\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, fraction] = match;
  const wallMs = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0);
  if (Number.isNaN(wallMs)) return undefined;
  const clock = clockFor(+y, +mo);
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction ? `.${fraction}` : ''}${clock === 'utc' ? 'Z' : ''}`;
  return { text, iso, wallMs, clock };
}

const local = (): Clock => 'local';

function cleanMessage(message: string): string {
  return message.replace(FUNCTION_TAG, '');
}

/** The message of an agent line, which may itself be a binary line or (2016) a pre-formatted inner line. */
function agentMessage(message: string, outer: LogTime | undefined, python: 2 | 3 | undefined, level?: 'Error'): ClassifiedLine {
  const text = cleanMessage(message);
  if (BLOCK_START.test(text)) return { kind: 'blockStart', time: outer, python, message: text };
  const binary = BINARY_MESSAGE.exec(text);
  if (binary) return { kind: 'binary', time: timeOf(binary[1], local), python, message: binary[2] };
  const inner = CONSOLE2.exec(text);
  // The 2016 layout: the backup logger formatted the line itself (both clocks local then).
  if (inner) return { kind: 'agent', time: timeOf(inner[1], local), python, level: inner[2] as ClassifiedLine['level'], message: cleanMessage(inner[3]) };
  return { kind: 'agent', time: outer, python, level, message: text };
}

/** The message of a buffered freeze-block line, which may carry a binary line or the agent prefix. */
function innerMessage(time: LogTime | undefined, level: string, message: string, python: 2 | 3): ClassifiedLine {
  let text = message.endsWith(' ') ? message.slice(0, -1) : message;
  const prefixed = BARE_PREFIX_LINE.exec(text);
  if (prefixed) text = prefixed[1];
  text = cleanMessage(text);
  const binary = BINARY_MESSAGE.exec(text);
  if (binary) return { kind: 'binary', time: timeOf(binary[1], local), python, message: binary[2] };
  return { kind: 'inner', time, python, level: level as ClassifiedLine['level'], message: text };
}

export function classifyLine(raw: string): ClassifiedLine {
  const line = (raw.length > MAX_MATCHED_CHARS ? raw.slice(0, MAX_MATCHED_CHARS) : raw).replace(/\r$/, '');
  if (line.trim() === '') return { kind: 'blank', message: '' };
  if (BLOCK_END.test(line.trim())) return { kind: 'blockEnd', message: line.trim() };

  let match = PY3_LINE.exec(line);
  if (match) return agentMessage(match[2], timeOf(match[1], python3Clock), 3);
  match = PY2_LINE.exec(line);
  if (match) {
    // `ERROR:` lines come from the waagent Logger under both Pythons: local time, version unknown.
    const isError = match[2] === 'ERROR';
    return agentMessage(match[3], timeOf(match[1], local), isError ? undefined : 2, isError ? 'Error' : undefined);
  }
  match = PY2_INNER.exec(line);
  if (match) return innerMessage(timeOf(match[2], python3Clock), match[3], match[4], 2);

  const undecorated = line.replace(CONSOLE_DECORATION, '');
  match = INNER3.exec(undecorated);
  if (match) return innerMessage(timeOf(match[1], python3Clock), match[2], match[3], 3);
  match = CONSOLE2.exec(undecorated);
  if (match) return innerMessage(timeOf(match[1], local), match[2], match[3], 2);

  match = BARE_PREFIX_LINE.exec(line);
  if (match) return agentMessage(match[1], undefined, undefined);
  match = SHELL_LINE.exec(line);
  if (match) {
    const zone = match[1];
    const stamp = parseShellDate(line);
    return { kind: 'shell', time: stamp && { ...stamp, clock: zone === 'UTC' || zone === 'GMT' ? 'utc' : 'local', iso: zone === 'UTC' || zone === 'GMT' ? `${stamp.iso}Z` : stamp.iso }, message: match[2] };
  }
  match = WAAGENT_LINE.exec(line);
  if (match) return { kind: 'waagent', time: timeOf(match[1], () => (match![1].endsWith('Z') ? 'utc' : 'local')), message: match[3] };
  match = PY2_CONTINUATION.exec(line);
  if (match) return { kind: 'other', time: timeOf(match[1], local), python: 2, message: match[2] ?? '', bareTime: true };
  return { kind: 'other', message: line };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function parseShellDate(line: string): LogTime | undefined {
  const match = /^\w{3} (\w{3}) ([ \d]\d) (\d\d):(\d\d):(\d\d) \S+ (\d{4})/.exec(line);
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[1]);
  const day = Number(match[2].trim());
  const wallMs = Date.UTC(Number(match[6]), month, day, Number(match[3]), Number(match[4]), Number(match[5]));
  if (Number.isNaN(wallMs)) return undefined;
  const pad = (value: number) => String(value).padStart(2, '0');
  const iso = `${match[6]}-${pad(month + 1)}-${pad(day)}T${match[3]}:${match[4]}:${match[5]}`;
  return { text: line.slice(0, match[0].length), iso, wallMs, clock: 'unknown' };
}
