/**
 * Output risk: the agent gives the script pipes for stdout and stderr and never reads them, so
 * once a script has written 64 KiB (the Linux pipe buffer) to either, it blocks until the agent
 * gives up on it. A script is safe when everything that can print is sent elsewhere: by
 * `exec >>log 2>&1` (also inside a function the script calls), by redirecting a `{ … }` group,
 * a function's commands or the command itself, or by a pipe.
 */
import type { Compound, FunctionDef, Redirect, ShellSyntax, SimpleCommand } from './shellSyntax';

/** Commands that write nothing in normal use; they do not make a script risky. */
const quietCommands = new Set([
  'exit', 'return', 'set', 'trap', 'cd', 'export', 'readonly', 'local', 'unset', 'shift', ':', 'true', 'false',
  'umask', 'wait', 'sleep', 'test', '[', '[[', '((', 'break', 'continue', 'exec', 'getopts', 'read', 'ulimit',
]);

/** Which of stdout (1) and stderr (2) no longer reach the agent's pipes. */
interface FdState {
  1: boolean;
  2: boolean;
}

function applyRedirects(state: FdState, redirects: Redirect[]): FdState {
  const next: FdState = { ...state };
  for (const redirect of redirects) {
    if (redirect.fd === 'both') {
      next[1] = next[2] = true;
      continue;
    }
    if (redirect.op.startsWith('<') && redirect.op !== '<&') continue;
    const fd = redirect.fd ?? (redirect.op === '<&' ? 0 : 1);
    if (fd !== 1 && fd !== 2) continue;
    if (redirect.op === '>&' || redirect.op === '<&') {
      const target = redirect.target?.value;
      if (target === '-') next[fd] = true;
      else if (target === '1' || target === '2') next[fd] = next[Number(target) as 1 | 2];
      else next[fd] = true;
    } else {
      next[fd] = true;
    }
  }
  return next;
}

export interface OutputRisk {
  /** The first command that can still write to the agent's pipes. */
  command: SimpleCommand;
}

function isInside(offset: number, span: { start: number; end: number }): boolean {
  return offset >= span.start && offset < span.end;
}

/** `set -x` traces every command to stderr, which then fills as fast as stdout would. */
function tracesCommands(syntax: ShellSyntax): boolean {
  return syntax.commands.some((command) => {
    if (command.words[0]?.value !== 'set') return false;
    return command.words.slice(1).some((word, i, args) => /^-[A-Za-z]*x/.test(word.value ?? '') || (word.value === '-o' && args[i + 1]?.value === 'xtrace'));
  });
}

export function findOutputRisk(syntax: ShellSyntax): OutputRisk | undefined {
  const functions = syntax.functions;
  const inFunction = (offset: number) => functions.filter((fn) => isInside(offset, fn)).pop();
  const firstCall = (name: string) =>
    syntax.commands.find((command) => command.words[0]?.value === name && inFunction(command.start)?.name !== name);
  // Volume comes from stdout (dumps, listings); stderr carries error lines, unless the
  // script traces itself. So stderr only counts under `set -x`.
  const judgeStderr = tracesCommands(syntax);

  // Where each `exec` redirection takes effect: at the exec itself, or for one inside a
  // function (a common `setup_logging`), where that function is first called.
  const execEffects: { at: number; redirects: Redirect[] }[] = [];
  for (const command of syntax.commands) {
    if (command.words.length !== 1 || command.words[0].value !== 'exec' || !command.redirects.length) continue;
    const owner = inFunction(command.start);
    const at = owner ? firstCall(owner.name)?.start : command.start;
    if (at !== undefined) execEffects.push({ at, redirects: command.redirects });
  }
  execEffects.sort((a, b) => a.at - b.at);

  const enclosing = (command: SimpleCommand, within?: FunctionDef): Compound[] =>
    syntax.compounds
      .filter((compound) => compound.redirects.length && isInside(command.start, compound) && (!within || isInside(compound.start, within)))
      .sort((a, b) => a.start - b.start);
  const canPrint = (command: SimpleCommand): boolean => {
    const name = command.words[0]?.value;
    return !command.inSubstitution && command.words.length > 0 && !(name !== undefined && quietCommands.has(name));
  };
  const isCovered = (command: SimpleCommand, initial: FdState, within?: FunctionDef): boolean => {
    let state = initial;
    for (const compound of enclosing(command, within)) state = applyRedirects(state, compound.redirects);
    if (command.pipedOut) state = { ...state, 1: true };
    state = applyRedirects(state, command.redirects);
    return state[1] && (state[2] || !judgeStderr);
  };

  // A function whose every command sends its output elsewhere (a `log` helper writing to a
  // file) is as quiet as `true`; calls to it are not a risk.
  const quietFunctions = new Set<string>();
  const judged = new Set<string>();
  const isQuietFunction = (name: string): boolean => {
    if (judged.has(name)) return quietFunctions.has(name);
    judged.add(name);
    const fn = functions.find((candidate) => candidate.name === name);
    if (!fn) return false;
    const quiet = syntax.commands
      .filter((command) => isInside(command.start, fn) && canPrint(command))
      .every((command) => {
        const called = command.words[0]?.value;
        return (called !== undefined && called !== name && isQuietFunction(called)) || isCovered(command, { 1: false, 2: false }, fn);
      });
    if (quiet) quietFunctions.add(name);
    return quiet;
  };

  for (const command of syntax.commands) {
    if (!canPrint(command)) continue;
    // A function body runs where the function is called; the call is judged instead.
    if (inFunction(command.start)) continue;
    const name = command.words[0]?.value;
    if (name !== undefined && functions.some((fn) => fn.name === name) && isQuietFunction(name)) continue;
    let state: FdState = { 1: false, 2: false };
    for (const effect of execEffects) if (effect.at <= command.start) state = applyRedirects(state, effect.redirects);
    if (!isCovered(command, state)) return { command };
  }
  return undefined;
}

/**
 * The zero-based line where a fix can insert `exec >>log 2>&1`: after the shebang and the
 * comment block that usually follows it, before the first command.
 */
export function logInsertLine(text: string): number {
  const lines = text.split('\n');
  let line = 0;
  while (line < lines.length && /^\s*(#.*)?\r?$/.test(lines[line])) line++;
  return Math.min(line, lines.length);
}
