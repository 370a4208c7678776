/**
 * The dash checker: finds the bash-only constructs that make a script fail or misbehave when
 * the agent runs it with `sh`, which is dash on Debian and Ubuntu. Each rule here was checked
 * against dash 0.5.12 (Debian 12) by the tests; only what really breaks is reported:
 * error when dash stops, fails the command or takes another branch, warning when the script
 * runs on with a silently different value (`echo -e`, `$RANDOM`).
 *
 * What is not here on purpose: `local` (dash has it), `[ a \< b ]` (dash's test has it),
 * `echo -n` (dash's echo has it), and anything inside quotes, comments or here-documents.
 */
import * as l10n from '@vscode/l10n';
import type { Severity } from '../types';
import type { Expansion, ShellSyntax, SimpleCommand, SyntaxRule, Word } from './shellSyntax';

export interface PosixFinding {
  rule: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  /** The text of the construct, for messages and quick fixes. */
  construct: string;
}

/** `set -o` names that dash 0.5.12 accepts; every other name stops the script. */
export const dashSetOptions = new Set([
  'errexit', 'noglob', 'ignoreeof', 'interactive', 'monitor', 'noexec', 'stdin', 'xtrace', 'verbose',
  'vi', 'emacs', 'noclobber', 'allexport', 'notify', 'nounset', 'privileged', 'nolog', 'debug',
]);
/** Single-letter `set` flags that dash accepts (`-E` is its emacs mode, harmless here). */
export const dashSetFlags = new Set('abCeEfIimnpsuvVx'.split(''));

/** Bash builtins that dash does not have: running one prints "not found" (status 127). */
export const bashOnlyBuiltins = new Set([
  'let', 'declare', 'typeset', 'shopt', 'mapfile', 'readarray', 'pushd', 'popd', 'dirs', 'disown',
  'enable', 'caller', 'compgen', 'complete', 'compopt', 'bind', 'suspend', 'logout', 'history',
]);

/** Variables bash sets and dash does not (Debian's dash also leaves LINENO empty). */
export const bashOnlyVariables = new Set([
  'RANDOM', 'SRANDOM', 'EUID', 'UID', 'BASH', 'BASH_SOURCE', 'BASH_VERSION', 'BASH_VERSINFO', 'BASH_LINENO',
  'BASH_REMATCH', 'BASH_COMMAND', 'BASHPID', 'BASH_ARGV', 'BASH_ARGC', 'SECONDS', 'HOSTNAME', 'HOSTTYPE',
  'OSTYPE', 'MACHTYPE', 'PIPESTATUS', 'FUNCNAME', 'GROUPS', 'DIRSTACK', 'EPOCHSECONDS',
  'EPOCHREALTIME', 'LINENO', 'SHELLOPTS', 'BASHOPTS',
]);

interface RuleText {
  severity: Severity;
  message: (construct: string) => string;
}

/** Messages say what dash does, because "works in my terminal" is the usual objection. */
const syntaxRules: Record<SyntaxRule, RuleText> = {
  doubleBracket: {
    severity: 'error',
    message: () => l10n.t('`[[ … ]]` is bash-only: dash says "[[: not found" and the test is false, so an `if` silently takes its else branch. Use `[ … ]`.'),
  },
  functionKeyword: {
    severity: 'error',
    message: () => l10n.t('The `function` keyword is bash-only: dash stops with a syntax error. Write `name() { … }`.'),
  },
  select: { severity: 'error', message: () => l10n.t('`select` is bash-only: dash stops with a syntax error.') },
  arithCommand: {
    severity: 'error',
    message: () => l10n.t('`(( … ))` is bash-only: dash runs it as nested subshells, so nothing is computed (or a command runs). Use `x=$((…))` or `[ … ]`.'),
  },
  cStyleFor: {
    severity: 'error',
    message: () => l10n.t('`for ((…))` is bash-only: dash stops with "Bad for loop variable". Use a `while` loop with `$((…))`.'),
  },
  pipeAmp: { severity: 'error', message: () => l10n.t('`|&` is bash-only: dash stops with a syntax error. Write `2>&1 |`.') },
  ampRedirect: {
    severity: 'error',
    message: () => l10n.t('`&>` is bash-only: dash runs the command in the background and redirects nothing. Write `>file 2>&1`.'),
  },
  hereString: {
    severity: 'error',
    message: () => l10n.t('`<<<` is bash-only: dash stops with a syntax error. Use a here-document or `printf \'%s\\n\' … |`.'),
  },
  dupToFile: {
    severity: 'error',
    message: () => l10n.t('`>& file` is bash-only: dash stops with "Bad fd number". Write `>file 2>&1`.'),
  },
  caseFallthrough: { severity: 'error', message: () => l10n.t('`;&` and `;;&` are bash-only: dash stops with a syntax error.') },
  arrayAssignment: {
    severity: 'error',
    message: () => l10n.t('Arrays are bash-only: dash stops with a syntax error at `(`. Use separate variables or `set -- …`.'),
  },
  arrayElementAssignment: {
    severity: 'error',
    message: (construct) => l10n.t('Arrays are bash-only: dash runs `{0}` as a command, which is not found.', construct),
  },
  appendAssignment: {
    severity: 'error',
    message: (construct) => l10n.t('`+=` is bash-only: dash runs `{0}` as a command, which is not found. Write `x="$x…"`.', construct),
  },
  processSubstitution: {
    severity: 'error',
    message: () => l10n.t('Process substitution `<(…)` is bash-only: dash stops with a syntax error. Use a pipe or a temporary file.'),
  },
  extglob: { severity: 'error', message: () => l10n.t('Extended globs such as `@(…)` are bash-only: dash stops with a syntax error.') },
  namedFd: {
    severity: 'error',
    message: (construct) => l10n.t('`{0}` file descriptors are bash-only: dash runs them as a command, which is not found.', construct),
  },
  coproc: { severity: 'error', message: () => l10n.t('`coproc` is bash-only: dash does not know it.') },
  dollarFileRead: {
    severity: 'error',
    message: () => l10n.t('`$(<file)` is bash-only: under dash it is empty. Write `$(cat file)`.'),
  },
  ansiCQuote: {
    severity: 'error',
    message: () => l10n.t('`$\'…\'` is bash-only: dash keeps the `$` as text. Use `printf` to make special characters.'),
  },
  localeString: { severity: 'error', message: () => l10n.t('`$"…"` is bash-only: dash keeps the `$` as text.') },
  oldArithmetic: {
    severity: 'error',
    message: () => l10n.t('`$[…]` is bash-only: dash passes it on as text. Use `$((…))`.'),
  },
};

class Findings {
  readonly list: PosixFinding[] = [];
  constructor(private readonly text: string) {}

  add(rule: string, severity: Severity, message: string, start: number, end: number): void {
    this.list.push({ rule, severity, message, start, end, construct: this.text.slice(start, end) });
  }

  word(rule: string, severity: Severity, message: string, word: Word): void {
    this.add(rule, severity, message, word.start, word.end);
  }
}

/**
 * Scripts written for many shells probe first: `(set -o pipefail) 2>/dev/null && set -o
 * pipefail`, or a `case` on the output of `(set -o)`. The probe fails harmlessly in its subshell
 * and the real `set` then runs only where the option exists, so neither is reported. (Without a
 * subshell, `set -o pipefail 2>/dev/null || true` still ends dash: `set` is a special builtin.)
 */
interface SetGuards {
  probes: Set<SimpleCommand>;
  /** Options some probe tests; `*` when the script inspects the whole `set -o` listing. */
  options: Set<string>;
}

function findSetGuards(syntax: ShellSyntax): SetGuards {
  const guards: SetGuards = { probes: new Set(), options: new Set() };
  const subshells = syntax.compounds.filter((compound) => compound.kind === 'subshell');
  const silencesStderr = (redirects: { fd?: number | 'both' }[]) => redirects.some((r) => r.fd === 2 || r.fd === 'both');
  for (const command of syntax.commands) {
    if (command.words[0]?.value !== 'set') continue;
    const args = command.words.slice(1).map((word) => word.value ?? '');
    if (args.length === 1 && /^[-+]o$/.test(args[0])) {
      // Listing the options (`case `(set -o)` in *pipefail*)`) is how a script asks first.
      guards.options.add('*');
      continue;
    }
    // A probe is a subshell holding nothing but the `set`, its complaint sent away: it fails
    // quietly and only answers a question. A subshell that goes on to run more commands dies
    // at the `set` and is reported like any other.
    const subshell = subshells
      .filter((sub) => command.start >= sub.start && command.start < sub.end)
      .sort((a, b) => b.start - a.start)[0];
    if (!subshell || !silencesStderr([...subshell.redirects, ...command.redirects])) continue;
    const alone = syntax.commands.every((other) => other === command || other.start < subshell.start || other.start >= subshell.end);
    if (!alone) continue;
    guards.probes.add(command);
    args.forEach((arg, i) => {
      if (/^[-+][A-Za-z]*o$/.test(arg) && args[i + 1]) guards.options.add(args[i + 1]);
    });
  }
  return guards;
}

function checkSet(command: SimpleCommand, guards: SetGuards, findings: Findings): void {
  if (guards.probes.has(command)) return;
  const args = command.words.slice(1);
  const checkName = (word: Word | undefined): void => {
    const name = word?.value;
    if (!word || name === undefined || dashSetOptions.has(name)) return;
    if (guards.options.has(name) || guards.options.has('*')) return;
    if (name === 'pipefail') {
      findings.word('setPipefail', 'error', l10n.t('`pipefail` is not in the dash of Debian 12 and Ubuntu (0.5.12): `set` fails with "Illegal option -o pipefail" and the script stops there.'), word);
    } else {
      findings.word('setOption', 'error', l10n.t('`set -o {0}` is bash-only: dash stops the script with "Illegal option".', name), word);
    }
  };
  for (let i = 0; i < args.length; i++) {
    const value = args[i].value;
    if (value === undefined || value === '--' || value === '-' || !/^[-+][A-Za-z]+$/.test(value)) return;
    const letters = value.slice(1);
    for (const letter of letters) {
      if (letter === 'o') {
        checkName(args[i + 1]);
        i++;
      } else if (!dashSetFlags.has(letter)) {
        findings.word('setFlag', 'error', l10n.t('`set -{0}` is bash-only: dash stops the script with "Illegal option".', letter), args[i]);
      }
    }
  }
}

function checkTest(name: string, args: Word[], findings: Findings): void {
  const operands = name === '[' && args[args.length - 1]?.value === ']' ? args.slice(0, -1) : args;
  operands.forEach((word, i) => {
    const value = word.value;
    const unaryPosition = i === 0 || operands[i - 1].value === '!' || operands[i - 1].value === '(';
    if (value === '==') {
      findings.word('testDoubleEquals', 'error', l10n.t('`==` in `[ … ]` is bash-only: dash\'s test fails with "unexpected operator", so the condition is false. Use `=`.'), word);
    } else if (unaryPosition && i + 1 < operands.length && value === '-a') {
      findings.word('testUnaryA', 'error', l10n.t('`-a` as a file test is bash-only: dash\'s test fails with "unexpected operator". Use `-e`.'), word);
    } else if (unaryPosition && i + 1 < operands.length && value === '-v') {
      findings.word('testIsSet', 'error', l10n.t('`-v` is bash-only: dash\'s test fails with "unexpected operator". Use `[ -n "${name+set}" ]`.'), word);
    } else if (unaryPosition && operands.length - i === 2 && value === '-o') {
      findings.word('testOption', 'error', l10n.t('`-o option` is bash-only: dash\'s test fails with "unexpected operator".'), word);
    }
  });
}

/** Options of a builtin, `-abc` clusters included, up to `--` or the first operand. */
function leadingOptions(args: Word[]): Word[] {
  const options: Word[] = [];
  for (const word of args) {
    if (word.value === undefined || word.value === '--' || !/^-./.test(word.value)) break;
    options.push(word);
  }
  return options;
}

function checkCommand(command: SimpleCommand, functionNames: Set<string>, guards: SetGuards, findings: Findings): void {
  const [nameWord, ...args] = command.words;
  const name = nameWord?.value;
  if (name === undefined || functionNames.has(name)) return;
  const illegalOption = (word: Word): void =>
    findings.word('builtinOption', 'error', l10n.t('`{0} {1}` is bash-only: dash\'s `{0}` fails with "Illegal option".', name, word.value ?? word.raw), word);

  if (name === 'source') {
    findings.word('source', 'error', l10n.t('`source` is bash-only: dash says "source: not found" and the file is not read. Use `. file`.'), nameWord);
  } else if (bashOnlyBuiltins.has(name)) {
    findings.word('bashBuiltin', 'error', l10n.t('`{0}` is a bash builtin: dash says "{0}: not found".', name), nameWord);
  } else if (name === '[' || name === 'test') {
    checkTest(name, args, findings);
  } else if (name === 'set') {
    checkSet(command, guards, findings);
  } else if (name === 'local') {
    const option = leadingOptions(args).find((word) => word.value !== '-');
    if (option) findings.word('localOption', 'error', l10n.t('`local {0}` is bash-only: dash\'s `local` takes no options and fails with "bad variable name".', option.value ?? ''), option);
  } else if (name === 'export' || name === 'readonly') {
    const option = leadingOptions(args).find((word) => word.value !== '-p');
    if (option) illegalOption(option);
  } else if (name === 'read') {
    for (const word of leadingOptions(args)) {
      const letters = word.value!.slice(1);
      if ([...letters].some((letter) => letter !== 'r' && letter !== 'p')) {
        illegalOption(word);
        break;
      }
      // `-p prompt` takes the next word; a prompt that starts with `-` is no option.
      if (letters.endsWith('p')) break;
    }
  } else if (name === 'printf') {
    if (args[0]?.value === '-v') illegalOption(args[0]);
    const format = args[0]?.value === '--' ? args[1] : args[0];
    if (format?.value !== undefined && /%[-+ #0-9.]*[q(]/.test(format.value.replace(/%%/g, ''))) {
      findings.word('printfFormat', 'error', l10n.t('`%q` and `%(…)T` are bash-only: dash\'s printf fails with "invalid directive".'), format);
    }
  } else if (name === 'wait' || name === 'type') {
    const option = leadingOptions(args)[0];
    if (option) illegalOption(option);
  } else if (name === 'kill') {
    const signal = args[0]?.value === '-s' ? args[1] : args[0];
    if (signal?.value !== undefined && /^-?SIG[A-Z]/.test(signal.value)) {
      findings.word('killSignal', 'error', l10n.t('dash\'s `kill` does not take the SIG prefix: it fails and nothing is signalled. Write `kill -TERM`.'), signal);
    }
  } else if (name === 'trap') {
    const rest = args[0]?.value === '--' ? args.slice(1) : args;
    if (rest[0]?.value === '-l' || rest[0]?.value === '-p') return;
    for (const signal of rest.slice(1)) {
      const value = signal.value?.toUpperCase();
      if (value === 'ERR' || value === 'DEBUG' || value === 'RETURN') {
        findings.word('trapSignal', 'error', l10n.t('`{0}` traps are bash-only: dash says "bad trap" and the handler never runs.', value), signal);
      }
    }
  } else if (name === 'exit' || name === 'return') {
    const status = args[0];
    if (status?.value !== undefined && !/^\d+$/.test(status.value)) {
      findings.word('exitStatus', 'error', l10n.t('dash takes only a number from 0 up here: `{0} {1}` stops the script with "Illegal number".', name, status.value), status);
    }
  } else if (name === 'echo') {
    // dash's echo takes `-n` as its first word only; any other flag is printed.
    let flag: Word | undefined;
    for (const word of args) {
      if (!/^-[neE]+$/.test(word.value ?? '')) break;
      if (word.value !== '-n') {
        flag = word;
        break;
      }
    }
    if (flag) {
      findings.word('echoFlags', 'warning', l10n.t('dash\'s echo knows only `-n`: it prints "{0}" as text (and always expands backslashes). Use `printf`.', flag.value ?? ''), flag);
    }
  }
}

/** What dash makes of `${…}`: the POSIX forms pass, everything else is "Bad substitution". */
function classifyParameter(body: string): { rule: string; hint: string } | undefined {
  if (body.length > 1 && body.startsWith('!')) return { rule: 'indirectExpansion', hint: l10n.t('indirect expansion') };
  let rest = body;
  if (body.length > 1 && body.startsWith('#') && /^#([A-Za-z_]\w*|\d+|[@*#?$!-])(\[|$)/.test(body)) rest = body.slice(1);
  const name = /^([A-Za-z_]\w*|\d+|[@*#?$!-])/.exec(rest);
  if (!name) return { rule: 'badSubstitution', hint: l10n.t('this form') };
  const after = rest.slice(name[0].length);
  if (after === '' || /^:?[-=?+]/.test(after) || /^[%#]/.test(after)) return undefined;
  if (after.startsWith('[')) return { rule: 'arrayExpansion', hint: l10n.t('arrays') };
  if (after.startsWith(':')) return { rule: 'substring', hint: l10n.t('substrings') };
  if (after.startsWith('/')) return { rule: 'patternSubstitution', hint: l10n.t('pattern substitution') };
  if (after.startsWith('^') || after.startsWith(',')) return { rule: 'caseModification', hint: l10n.t('case modification') };
  if (after.startsWith('@')) return { rule: 'transformation', hint: l10n.t('`@` transformations') };
  return { rule: 'badSubstitution', hint: l10n.t('this form') };
}

/** `skipNames`: variables the script sets itself, and those already reported (added here). */
function checkExpansion(expansion: Expansion, skipNames: Set<string>, findings: Findings): void {
  if (expansion.kind === 'arith') {
    const body = expansion.body;
    if (body.includes('**')) {
      findings.add('arithPower', 'error', l10n.t('`**` is bash-only: dash\'s arithmetic stops the script with "expecting primary".'), expansion.start, expansion.end);
    } else if (/\+\+|--/.test(body)) {
      findings.add('arithIncrement', 'error', l10n.t('`++` and `--` are bash-only: in dash `x++` stops the script and `++x` silently leaves x unchanged. Write `x=$((x + 1))`.'), expansion.start, expansion.end);
    } else if (/(^|[^\w$])\d+#/.test(body)) {
      findings.add('arithBase', 'error', l10n.t('`base#number` is bash-only: dash\'s arithmetic stops the script.'), expansion.start, expansion.end);
    }
    return;
  }
  if (!expansion.braced) {
    if (bashOnlyVariables.has(expansion.body) && !skipNames.has(expansion.body)) {
      findings.add('bashVariable', 'warning', l10n.t('`${0}` is set by bash only: under dash it is empty.', expansion.body), expansion.start, expansion.end);
      skipNames.add(expansion.body);
    }
    return;
  }
  const problem = classifyParameter(expansion.body);
  if (problem) {
    findings.add(problem.rule, 'error', l10n.t('`{0}` is bash-only ({1}): dash stops with "Bad substitution".', `\${${expansion.body}}`, problem.hint), expansion.start, expansion.end);
  } else {
    const name = /^#?([A-Za-z_]\w*)/.exec(expansion.body)?.[1];
    if (name && bashOnlyVariables.has(name) && !skipNames.has(name)) {
      findings.add('bashVariable', 'warning', l10n.t('`${0}` is set by bash only: under dash it is empty.', name), expansion.start, expansion.end);
      skipNames.add(name);
    }
  }
}

const bracePattern = /\{[^{}\s]*,[^{}\s]*\}|\{(-?\d+\.\.-?\d+|[A-Za-z]\.\.[A-Za-z])(\.\.-?\d+)?\}/;

function checkBraceExpansion(word: Word, findings: Findings): void {
  // `literal` hides quoted and expanded text, so `'{a,b}'` and `${a},${b}` never match.
  const match = bracePattern.exec(word.literal);
  if (!match) return;
  findings.add('braceExpansion', 'error', l10n.t('Brace expansion `{0}` is bash-only: dash passes it on as text. Write the words out.', word.raw.slice(match.index, match.index + match[0].length)), word.start + match.index, word.start + match.index + match[0].length);
}

/** Names the script assigns itself, so that `SECONDS=0; … $SECONDS` is not reported. */
function assignedNames(syntax: ShellSyntax): Set<string> {
  const names = new Set<string>();
  for (const command of syntax.commands) {
    for (const word of command.assignments) names.add(word.raw.split(/[=+[]/)[0]);
    const name = command.words[0]?.value;
    if (name === 'read' || name === 'local' || name === 'export' || name === 'readonly' || name === 'getopts') {
      for (const word of command.words.slice(1)) if (word.value) names.add(word.value.split('=')[0]);
    }
  }
  return names;
}

export function checkPosix(text: string, syntax: ShellSyntax): PosixFinding[] {
  const findings = new Findings(text);
  for (const event of syntax.events) {
    const rule = syntaxRules[event.rule];
    findings.add(event.rule, rule.severity, rule.message(text.slice(event.start, event.end)), event.start, event.end);
  }
  const functionNames = new Set(syntax.functions.map((fn) => fn.name));
  const guards = findSetGuards(syntax);
  for (const command of syntax.commands) checkCommand(command, functionNames, guards, findings);
  // A bash-only variable is reported where it is first used: once is enough to explain it,
  // and configure-style scripts use `$LINENO` hundreds of times.
  const assigned = assignedNames(syntax);
  for (const expansion of syntax.expansions) checkExpansion(expansion, assigned, findings);
  for (const word of syntax.expandedWords) checkBraceExpansion(word, findings);
  return findings.list.sort((a, b) => a.start - b.start);
}
