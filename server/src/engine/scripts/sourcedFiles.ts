import { LineIndex } from '../text/lineIndex';
import type { Range } from '../types';
import { decodeScript } from './scriptText';
import { parseShell } from './shellSyntax';

export interface SourcedFile {
  /** The path as written after `.`, quotes removed. */
  path: string;
  /** Where it is written, in the sourcing script. */
  range: Range;
}

/**
 * The files a script reads with `. file`: dash runs them in the same shell, so they are held to
 * the same rules as the script itself (unlike a helper started with `bash helper.sh`). Only
 * literal paths can be followed; `. "$dir/lib.sh"` depends on the run.
 */
export function findSourcedFiles(bytes: Uint8Array): SourcedFile[] {
  const script = decodeScript(bytes);
  if (script.notText) return [];
  let syntax: ReturnType<typeof parseShell>;
  try {
    syntax = parseShell(script.text);
  } catch {
    return []; // nested too deeply to read: already reported by checkScript
  }
  const lines = new LineIndex(script.text);
  const found: SourcedFile[] = [];
  for (const command of syntax.commands) {
    const [name, target] = command.words;
    if (name?.value !== '.' || target?.value === undefined) continue;
    found.push({ path: target.value, range: { start: lines.positionAt(target.start), end: lines.positionAt(target.end) } });
  }
  return found;
}
