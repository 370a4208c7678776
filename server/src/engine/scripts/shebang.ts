/**
 * The agent runs `sh <script>`, so the kernel never reads the `#!` line: whatever it names,
 * dash runs the file. For a bash or ksh script that is a hint worth giving (the script may still
 * be valid POSIX); for Python or Perl it is a certain failure.
 */

/** Shells whose scripts dash may still run when they keep to POSIX syntax. */
const shellLike = new Set(['bash', 'ksh', 'ksh93', 'mksh', 'zsh']);
/** Interpreters that dash runs the same way as the agent expects. */
const posixShells = new Set(['sh', 'dash', 'ash', 'posh', 'busybox']);

export interface Shebang {
  /** The interpreter's name, such as `bash` or `python3`. */
  interpreter: string;
  /** The whole `#!` line. */
  line: string;
  kind: 'posix' | 'shell' | 'other';
}

export function readShebang(text: string): Shebang | undefined {
  const end = text.indexOf('\n');
  const line = (end < 0 ? text : text.slice(0, end)).replace(/\r$/, '');
  if (!line.startsWith('#!')) return undefined;
  const parts = line.slice(2).trim().split(/\s+/).filter(Boolean);
  let program = (parts[0] ?? '').split('/').pop() ?? '';
  if (program === 'env') {
    // `#!/usr/bin/env -S bash -e`: the first word that is no option (or assignment) is the program.
    program = parts.slice(1).find((part) => !part.startsWith('-') && !part.includes('=')) ?? '';
  }
  if (program === '') return undefined;
  const kind = posixShells.has(program) ? 'posix' : shellLike.has(program) ? 'shell' : 'other';
  return { interpreter: program, line, kind };
}
