import { classifyLine, ClassifiedLine, MAX_MATCHED_CHARS } from './lineFormats';

/** One logical line: a classified physical line plus the unprefixed lines that continue it. */
export interface LogEntry extends ClassifiedLine {
  file: string;
  /** 1-based line of the first physical line, and of the last one it spans. */
  line: number;
  endLine: number;
  /** The last line of a text without a final newline: it may have been cut anywhere. */
  partial: boolean;
  /** Inside a buffered freeze block ("Logs during Freeze"), written after the fact. */
  inFreezeBlock: boolean;
}

/** Digits of a timestamp, then at most the opening part of the agent's `[...]` prefix. */
const CUT_PREFIX = /^\d[\d\-/: .]*(?:(?:ERROR|INFO|WARNING):?)?(?:\[[\w.]*(?:-[\d.]*)?)?$/;

/** Continuations are joined without a separator: in a pasted excerpt they are hard wraps. */
const MAX_JOINED_CHARS = 256 * 1024;
const MAX_LINES = 2_000_000;

/** Splits one file into entries; continuations of a hard-wrapped or multi-line message join their first line. */
export function readEntries(file: string, text: string): LogEntry[] {
  const physical = text.split('\n', MAX_LINES);
  const endsWithNewline = text.endsWith('\n');
  if (endsWithNewline) physical.pop();
  const entries: LogEntry[] = [];
  let blockOpen = false;
  let skipNext = false;
  for (let index = 0; index < physical.length; index++) {
    let classified = classifyLine(physical[index]);
    // A hard wrap inside the timestamp or the prefix: the line is only the start of a prefix.
    if (classified.kind === 'other' && index + 1 < physical.length && physical[index].length < 200 && CUT_PREFIX.test(physical[index])) {
      const joined = classifyLine(physical[index] + physical[index + 1]);
      if (joined.kind !== 'other') {
        classified = joined;
        physical[index + 1] = '';
        skipNext = true;
      }
    }
    const partial = (skipNext ? index + 1 : index) === physical.length - 1 && !endsWithNewline;
    const previous = entries[entries.length - 1];
    if (classified.kind === 'other' && previous && previous.kind !== 'blank' && previous.kind !== 'blockEnd' && previous.endLine === index) {
      if (previous.message.length < MAX_JOINED_CHARS) previous.message += classified.bareTime ? ` ${classified.message}` : classified.message.slice(0, MAX_MATCHED_CHARS * 4);
      previous.endLine = index + 1;
      previous.partial = partial;
      continue;
    }
    if (classified.kind === 'blockStart') blockOpen = true;
    // A block flushed after a failed freeze has no end banner: it ends with the first line the agent wrote directly.
    else if (blockOpen && classified.kind !== 'inner' && classified.kind !== 'binary' && classified.kind !== 'blank' && classified.kind !== 'other') blockOpen = false;
    const inFreezeBlock = blockOpen || classified.kind === 'blockEnd';
    if (classified.kind === 'blockEnd') blockOpen = false;
    entries.push({ ...classified, file, line: index + 1, endLine: skipNext ? index + 2 : index + 1, partial, inFreezeBlock });
    if (skipNext) index++;
    skipNext = false;
  }
  return entries;
}
