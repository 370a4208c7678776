/**
 * The PostgreSQL 15 names of the backup functions, with their arguments mapped:
 * `pg_start_backup(label[, fast[, exclusive]])` → `pg_backup_start(label[, fast])` and
 * `pg_stop_backup([exclusive[, wait]])` → `pg_backup_stop([wait])`. PostgreSQL 15 has only the
 * non-exclusive backup, so the `exclusive` argument goes; callers offer the rename only where a
 * session holds the backup (a one-shot psql needs the held-session pattern instead).
 */

export interface RenamedCall {
  /** Offsets in the script text of the whole call, from the name to its closing parenthesis. */
  start: number;
  end: number;
  text: string;
}

/** A call's arguments can be this long; longer text is not a call we should rewrite. */
const MAX_CALL_LENGTH = 400;

/**
 * The arguments of the call whose opening parenthesis is at `open`, split at top-level commas
 * (quotes and nested parentheses respected), and the offset after its closing parenthesis.
 */
function splitArguments(text: string, open: number): { args: string[]; end: number } | undefined {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let from = open + 1;
  const limit = Math.min(text.length, open + MAX_CALL_LENGTH);
  for (let i = open + 1; i < limit; i++) {
    const char = text[i];
    if (quote) {
      if (char === quote) quote = undefined;
      continue;
    }
    if (char === "'" || char === '"') quote = char;
    else if (char === '(') depth++;
    else if (char === ')') {
      if (depth === 0) {
        const last = text.slice(from, i).trim();
        if (last || args.length) args.push(last);
        return { args, end: i + 1 };
      }
      depth--;
    } else if (char === ',' && depth === 0) {
      args.push(text.slice(from, i).trim());
      from = i + 1;
    }
  }
  return undefined;
}

/**
 * The PostgreSQL 15 form of the `pg_start_backup(`/`pg_stop_backup(` call that starts at `start`,
 * or undefined when its arguments cannot be mapped safely (named arguments, an unclosed call, a
 * call across shell quoting).
 */
export function renamePgBackupCall(text: string, start: number): RenamedCall | undefined {
  const name = /^pg_(start|stop)_backup\s*\(/i.exec(text.slice(start, start + 40));
  if (!name) return undefined;
  const split = splitArguments(text, start + name[0].length - 1);
  if (!split || split.args.some((arg) => arg === '' || arg.includes('=>') || arg.includes('\n') || /'"|"'/.test(arg))) return undefined;
  const { args } = split;
  if (name[1].toLowerCase() === 'start') {
    if (args.length < 1 || args.length > 3) return undefined;
    return { start, end: split.end, text: `pg_backup_start(${args.slice(0, 2).join(', ')})` };
  }
  if (args.length > 2) return undefined;
  return { start, end: split.end, text: `pg_backup_stop(${args.slice(1).join(', ')})` };
}
