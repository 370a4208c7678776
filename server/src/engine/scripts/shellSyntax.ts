/**
 * A small shell reader: enough of the POSIX grammar to know where commands start, what is
 * quoted, what is a comment, what is a here-document body and what is an expansion, so that the
 * checks can look at real commands instead of matching patterns on lines. It never fails:
 * broken input still yields every command it could make out.
 *
 * It also notes, as it goes, the bash-only syntax that only the reader can see (`[[`, `((`,
 * `|&`, `<<<`, arrays, …). What a command does with its arguments is the checker's business.
 */

/** Bash-only syntax noticed while reading; the checker turns each into a diagnostic. */
export type SyntaxRule =
  | 'doubleBracket'
  | 'functionKeyword'
  | 'select'
  | 'arithCommand'
  | 'cStyleFor'
  | 'pipeAmp'
  | 'ampRedirect'
  | 'hereString'
  | 'dupToFile'
  | 'caseFallthrough'
  | 'arrayAssignment'
  | 'arrayElementAssignment'
  | 'appendAssignment'
  | 'processSubstitution'
  | 'extglob'
  | 'namedFd'
  | 'coproc'
  | 'dollarFileRead'
  | 'ansiCQuote'
  | 'localeString'
  | 'oldArithmetic';

export interface SyntaxEvent {
  rule: SyntaxRule;
  start: number;
  end: number;
}

export interface Word {
  raw: string;
  start: number;
  end: number;
  /** `raw` with every quoted, escaped or expanded character replaced by NUL, same length. */
  literal: string;
  /** The word after quote removal when it holds no expansion; undefined when it depends on one. */
  value?: string;
}

export interface Redirect {
  /** The file descriptor written before the operator, or 'both' for bash's `&>`. */
  fd?: number | 'both';
  op: string;
  target?: Word;
  start: number;
  end: number;
  /** For `<<` and `<<-`: the here-document's lines, without the delimiter line. */
  body?: { start: number; end: number; text: string };
}

/** The operator that joins a command to the next one in its list. */
export type ListOperator = '&&' | '||' | '|' | '|&' | '&' | ';';

export interface SimpleCommand {
  /** The command name and its arguments. */
  words: Word[];
  /** `NAME=value` words before the name. */
  assignments: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
  /** Followed by `|`: its stdout feeds the next command, not the agent. */
  pipedOut: boolean;
  /** Inside `$(…)` or backquotes: its stdout is captured. */
  inSubstitution: boolean;
  /** The operator after it on its line (`&&`, `||`, `|`, `&`, `;`), if any. */
  next?: ListOperator;
  /** The operator before it on its line, if any. */
  previous?: ListOperator;
  /** Part of the condition of an `if`, `elif`, `while` or `until`: its status is tested. */
  condition: boolean;
}

export type CompoundKind = 'group' | 'subshell' | 'if' | 'loop' | 'case';

export interface Compound {
  kind: CompoundKind;
  start: number;
  end: number;
  /** Redirections after the closing word, which apply to every command inside. */
  redirects: Redirect[];
  /** The operator after the closing word (`fi || exit 1`, `) &`), if any. */
  next?: ListOperator;
  /** For `if`: how many `elif` branches, and where its `else` is. */
  elifs?: number;
  elseAt?: number;
}

export interface FunctionDef {
  name: string;
  /** The span of the body. */
  start: number;
  end: number;
}

export interface Expansion {
  kind: 'param' | 'arith';
  start: number;
  end: number;
  /** For `param`: the name, or everything between `${` and `}`; for `arith`: the expression. */
  body: string;
  braced: boolean;
}

export interface ShellSyntax {
  commands: SimpleCommand[];
  compounds: Compound[];
  functions: FunctionDef[];
  expansions: Expansion[];
  events: SyntaxEvent[];
  /** Words that undergo brace expansion in bash: command names, arguments, `for` lists. */
  expandedWords: Word[];
  /** Comments, from `#` to the end of the line. */
  comments: { start: number; end: number }[];
}

interface OpenCompound {
  kind: CompoundKind;
  start: number;
  functionName?: string;
  caseState?: 'pattern' | 'body';
  /** Between `if`/`elif`/`while`/`until` and `then`/`do`. */
  inCondition?: boolean;
  elifs?: number;
  elseAt?: number;
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  expand: boolean;
  redirect: Redirect;
}

interface CommandBuilder {
  words: Word[];
  assignments: Word[];
  redirects: Redirect[];
  start: number;
  end: number;
  previous?: ListOperator;
  condition: boolean;
}

const operators = [
  ';;&', '&>>', '<<<', '<<-',
  ';;', ';&', '&&', '||', '|&', '&>', '<<', '>>', '<&', '>&', '<>', '>|', '<(', '>(',
  ';', '&', '|', '<', '>', '(', ')',
];

const assignmentPattern = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/;

/** What one list being parsed keeps between tokens. */
interface ListState {
  /** The compounds open in this list, innermost last. */
  stack: OpenCompound[];
  current?: CommandBuilder;
  /** The next word may be a command name, a reserved word or an assignment. */
  commandPosition: boolean;
  /** The compound that just closed, which redirects and operators right after it belong to. */
  lastClosed?: Compound;
  /** A `name()` or `function name` waiting for its body. */
  pendingFunction?: string;
  /** An fd (`2>`) or both (`&>`) read before a redirect operator. */
  pendingFd?: number | 'both';
  /** Between `for x` and `do`. */
  forHeader: boolean;
  lastOperator?: ListOperator;
}

const redirectOperators = new Set(['<', '>', '>>', '<&', '>&', '<>', '>|', '<<', '<<-', '<<<', '&>', '&>>']);

const topOf = (list: ListState): OpenCompound | undefined => list.stack[list.stack.length - 1];

function innermostOf(list: ListState, kind: CompoundKind): OpenCompound | undefined {
  for (let i = list.stack.length - 1; i >= 0; i--) if (list.stack[i].kind === kind) return list.stack[i];
  return undefined;
}

/** Inside the condition of the innermost `if` or loop (between `if` and `then`, `while` and `do`). */
function isInCondition(list: ListState): boolean {
  for (let i = list.stack.length - 1; i >= 0; i--) {
    if (list.stack[i].kind === 'if' || list.stack[i].kind === 'loop') return list.stack[i].inCondition === true;
  }
  return false;
}

/** The command's last word or assignment, whichever ends later. */
function lastWordOf(command: CommandBuilder | undefined): Word | undefined {
  const lastAssignment = command?.assignments[command.assignments.length - 1];
  const lastWord = command?.words[command.words.length - 1];
  return lastWord && (!lastAssignment || lastWord.end > lastAssignment.end) ? lastWord : lastAssignment;
}

/** Removes quotes and backslashes from a word that holds no expansion. */
function dequote(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '\\') {
      if (raw[i + 1] !== '\n') value += raw[i + 1] ?? '';
      i++;
    } else if (ch === "'") {
      const end = raw.indexOf("'", i + 1);
      value += raw.slice(i + 1, end < 0 ? raw.length : end);
      i = end < 0 ? raw.length : end;
    } else if (ch === '"') {
      i++;
      while (i < raw.length && raw[i] !== '"') {
        if (raw[i] === '\\' && '\\"$`\n'.includes(raw[i + 1] ?? '')) i++;
        if (raw[i] !== '\n' || raw[i - 1] !== '\\') value += raw[i];
        i++;
      }
    } else {
      value += ch;
    }
  }
  return value;
}

class Parser {
  private pos = 0;
  private expansionsSeen = 0;
  private pendingHeredocs: PendingHeredoc[] = [];

  /**
   * @param text what this parser reads (a whole script, or the inside of backquotes)
   * @param base offset of `text` in the script, added to every position recorded
   */
  constructor(
    private readonly text: string,
    private readonly base: number,
    private readonly substDepth: number,
    private readonly out: ShellSyntax,
  ) {}

  parseScript(): void {
    this.parseList(false);
  }

  private abs(local: number): number {
    return this.base + local;
  }

  private event(rule: SyntaxRule, start: number, end: number): void {
    this.out.events.push({ rule, start: this.abs(start), end: this.abs(end) });
  }

  /** A blank, or the `\r` of a CRLF line end, which is reported once on its own. */
  private isBlankAt(i: number): boolean {
    const ch = this.text[i];
    if (ch === ' ' || ch === '\t') return true;
    return ch === '\r' && (i + 1 >= this.text.length || this.text[i + 1] === '\n');
  }

  private isBreakAt(i: number): boolean {
    return this.isBlankAt(i) || '\n;&|<>()'.includes(this.text[i]);
  }

  private skipBlanks(): void {
    for (;;) {
      if (this.isBlankAt(this.pos)) this.pos++;
      else if (this.text[this.pos] === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
      else if (this.text[this.pos] === '\\' && this.text[this.pos + 1] === '\r' && this.text[this.pos + 2] === '\n') this.pos += 3;
      else return;
    }
  }

  private skipComment(): void {
    const start = this.pos;
    while (this.pos < this.text.length && this.text[this.pos] !== '\n') this.pos++;
    this.out.comments.push({ start: this.abs(start), end: this.abs(this.pos) });
  }

  /** Index of the `)` that closes a `(` already passed, counting nested pairs; -1 if none. */
  private findClosingParen(from: number): number {
    let depth = 0;
    for (let i = from; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === '\\') i++;
      else if (ch === "'") {
        const end = this.text.indexOf("'", i + 1);
        if (end < 0) return -1;
        i = end;
      } else if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth === 0) return i;
        depth--;
      }
    }
    return -1;
  }

  /**
   * At `((` in command position: bash's arithmetic command when the inner `(` closes right
   * before the outer one on the same line (`((x++))`), nested subshells otherwise.
   */
  private arithmeticCommandEnd(): number {
    let depth = 0;
    for (let i = this.pos + 2; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === '\n') return -1;
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth > 0) depth--;
        else return this.text[i + 1] === ')' ? i + 2 : -1;
      }
    }
    return -1;
  }

  /**
   * Reads commands up to the end of the text, or up to the `)` that closes a `$(`/`<(` when
   * `stopAtParen`. Each token goes to one step below; the state they share is `list`.
   */
  private parseList(stopAtParen: boolean): void {
    const list: ListState = { stack: [], commandPosition: true, forHeader: false };
    while (this.pos < this.text.length) {
      this.skipBlanks();
      if (this.pos >= this.text.length) break;
      const start = this.pos;
      const ch = this.text[this.pos];
      if (ch === '#') {
        this.skipComment();
        continue;
      }
      if (ch === '\n') {
        this.endLine(list);
        continue;
      }
      const caseEntry = topOf(list);
      if (caseEntry?.kind === 'case' && caseEntry.caseState === 'pattern') {
        this.readCasePattern(caseEntry, () => this.closeCompound(list, ['case']));
        list.commandPosition = true;
        continue;
      }
      const op = operators.find((candidate) => this.text.startsWith(candidate, this.pos));
      if (op === undefined) this.readListWord(list, start);
      else if (this.readOperator(list, op, start, stopAtParen) === 'stop') break;
    }
    this.finishCommand(list);
  }

  /** The command being read, started at `start` when there is none yet. */
  private commandAt(list: ListState, start: number): CommandBuilder {
    list.current ??= {
      words: [],
      assignments: [],
      redirects: [],
      start: this.abs(start),
      end: this.abs(start),
      previous: list.lastOperator,
      condition: isInCondition(list),
    };
    return list.current;
  }

  /** Records the command being read, if it holds anything, and what follows it. */
  private finishCommand(list: ListState, next?: ListOperator): void {
    const command = list.current;
    if (command && (command.words.length || command.assignments.length || command.redirects.length)) {
      const pipedOut = next === '|' || next === '|&';
      this.out.commands.push({ ...command, pipedOut, inSubstitution: this.substDepth > 0, ...(next ? { next } : {}) });
    }
    list.current = undefined;
  }

  private openCompound(list: ListState, kind: CompoundKind, start: number, caseState?: 'pattern' | 'body'): void {
    list.stack.push({ kind, start: this.abs(start), functionName: list.pendingFunction, caseState });
    list.pendingFunction = undefined;
  }

  /** Closes the innermost open compound of one of `kinds` (and whatever is open inside it). */
  private closeCompound(list: ListState, kinds: CompoundKind[]): void {
    this.finishCommand(list);
    let found = list.stack.length - 1;
    while (found >= 0 && !kinds.includes(list.stack[found].kind)) found--;
    if (found < 0) return;
    const [entry] = list.stack.splice(found);
    const compound: Compound = { kind: entry.kind, start: entry.start, end: this.abs(this.pos), redirects: [] };
    if (entry.kind === 'if') {
      compound.elifs = entry.elifs ?? 0;
      if (entry.elseAt !== undefined) compound.elseAt = entry.elseAt;
    }
    this.out.compounds.push(compound);
    if (entry.functionName) this.out.functions.push({ name: entry.functionName, start: entry.start, end: compound.end });
    list.lastClosed = compound;
    list.commandPosition = false;
  }

  /** A newline ends the command, starts the here-documents announced on the line, and a new command. */
  private endLine(list: ListState): void {
    this.finishCommand(list);
    this.pos++;
    this.readHeredocs();
    list.commandPosition = true;
    list.forHeader = false;
    list.lastClosed = undefined;
    list.lastOperator = undefined;
  }

  /** An operator token; 'stop' at the `)` that ends the nested list being read. */
  private readOperator(list: ListState, op: string, start: number, stopAtParen: boolean): 'stop' | 'go' {
    if (op === '(') this.readOpenParen(list, start);
    else if (op === ')') return this.readCloseParen(list, stopAtParen);
    else if (op === '<(' || op === '>(') this.readProcessSubstitution(list, start);
    else if (redirectOperators.has(op)) this.readRedirect(list, op, start);
    else this.readSeparator(list, op as ListOperator, start);
    return 'go';
  }

  /** `(`: an array or extglob after a word, `((…))`, a subshell, a function's `()`, or a stray one. */
  private readOpenParen(list: ListState, start: number): void {
    const previousWord = lastWordOf(list.current);
    const adjacent = previousWord !== undefined && previousWord.end === this.abs(this.pos);
    if (adjacent && previousWord.raw.endsWith('=')) {
      // `a=(1 2)`, also after `local`: dash stops with a syntax error at `(`.
      this.stepOverParenGroup('arrayAssignment', previousWord.start - this.base);
      return;
    }
    if (adjacent && /[@!+*?]$/.test(previousWord.raw) && !list.commandPosition) {
      this.stepOverParenGroup('extglob', this.pos - 1);
      return;
    }
    if (list.commandPosition && !list.current) {
      this.readArithmeticCommandOrSubshell(list, start);
      return;
    }
    if (this.readFunctionParens(list)) return;
    // A stray `(`: a syntax error in any shell; step over the group.
    const closeAt = this.findClosingParen(this.pos + 1);
    this.pos = closeAt < 0 ? this.text.length : closeAt + 1;
  }

  /** Reports `rule` from `eventStart` to the `)` matching the `(` at the current position, and steps past it. */
  private stepOverParenGroup(rule: SyntaxRule, eventStart: number): void {
    const closeAt = this.findClosingParen(this.pos + 1);
    const end = closeAt < 0 ? this.text.length : closeAt + 1;
    this.event(rule, eventStart, end);
    this.pos = end;
  }

  private readArithmeticCommandOrSubshell(list: ListState, start: number): void {
    const arithEnd = this.text[this.pos + 1] === '(' ? this.arithmeticCommandEnd() : -1;
    if (arithEnd > 0) {
      this.event('arithCommand', this.pos, arithEnd);
      const word = this.makeWord(this.pos, arithEnd, '\0'.repeat(arithEnd - this.pos));
      word.value = '((';
      this.pos = arithEnd;
      this.commandAt(list, start).words.push(word);
      list.commandPosition = false;
      return;
    }
    this.pos++;
    this.openCompound(list, 'subshell', start);
  }

  /** `name ( )`: a function definition, whose body is the next compound command. */
  private readFunctionParens(list: ListState): boolean {
    const command = list.current;
    if (!command || command.words.length !== 1 || command.redirects.length || !/^[A-Za-z_][\w.:-]*$/.test(command.words[0].raw)) return false;
    const closeAt = this.text.indexOf(')', this.pos + 1);
    if (closeAt <= 0 || this.text.slice(this.pos + 1, closeAt).trim() !== '') return false;
    list.pendingFunction = command.words[0].raw;
    list.current = undefined;
    this.pos = closeAt + 1;
    list.commandPosition = true;
    return true;
  }

  private readCloseParen(list: ListState, stopAtParen: boolean): 'stop' | 'go' {
    this.finishCommand(list);
    if (topOf(list)?.kind === 'subshell') {
      this.pos++;
      this.closeCompound(list, ['subshell']);
      return 'go';
    }
    if (stopAtParen) return 'stop';
    this.pos++;
    return 'go';
  }

  private readProcessSubstitution(list: ListState, start: number): void {
    this.event('processSubstitution', this.pos, this.pos + 2);
    this.pos += 2;
    this.parseNested();
    this.out.events[this.out.events.length - 1].end = this.abs(this.pos);
    const word = this.makeWord(start, this.pos, '\0'.repeat(this.pos - start));
    this.commandAt(list, start).words.push(word);
    list.commandPosition = false;
  }

  private readRedirect(list: ListState, op: string, start: number): void {
    this.pos += op.length;
    if (op === '<<<') this.event('hereString', start, this.pos);
    if (op === '&>' || op === '&>>') {
      this.event('ampRedirect', start, this.pos);
      list.pendingFd = 'both';
    }
    this.skipBlanks();
    const target = this.isBreakAt(this.pos) ? undefined : this.readWord();
    const redirect: Redirect = { fd: list.pendingFd, op, target, start: this.abs(start), end: this.abs(this.pos) };
    list.pendingFd = undefined;
    if ((op === '>&' || op === '<&') && target?.value !== undefined && !/^(\d+|-)$/.test(target.value)) {
      this.event('dupToFile', start, this.pos);
      redirect.fd = 'both';
    }
    if ((op === '<<' || op === '<<-') && target) {
      this.pendingHeredocs.push({ delimiter: dequote(target.raw), stripTabs: op === '<<-', expand: target.literal === target.raw, redirect });
    }
    if (!list.current && list.lastClosed) {
      list.lastClosed.redirects.push(redirect);
      return;
    }
    const command = this.commandAt(list, start);
    command.redirects.push(redirect);
    command.end = this.abs(this.pos);
  }

  /** A separator or a pipe; in a case body, `;;` and its bash variants end the branch. */
  private readSeparator(list: ListState, op: ListOperator | ';;' | ';&' | ';;&', start: number): void {
    this.pos += op.length;
    if (op === '|&') this.event('pipeAmp', start, this.pos);
    const caseTop = topOf(list);
    if ((op === ';;' || op === ';&' || op === ';;&') && caseTop?.kind === 'case') {
      if (op !== ';;') this.event('caseFallthrough', start, this.pos);
      this.finishCommand(list);
      caseTop.caseState = 'pattern';
      return;
    }
    const listOperator = op as ListOperator;
    if (!list.current && list.lastClosed) list.lastClosed.next = listOperator;
    this.finishCommand(list, listOperator);
    list.commandPosition = true;
    list.forHeader = false;
    list.lastClosed = undefined;
    list.lastOperator = listOperator;
  }

  /** A word: an fd before a redirect, part of a `for` header, a reserved word, an assignment or an argument. */
  private readListWord(list: ListState, start: number): void {
    const word = this.readWord();
    if (word.raw === '') {
      this.pos++;
      return;
    }
    const beforeRedirect = this.text[this.pos] === '<' || this.text[this.pos] === '>';
    if (beforeRedirect && /^\d+$/.test(word.raw)) {
      list.pendingFd = Number(word.raw);
      return;
    }
    if (beforeRedirect && /^\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(word.raw)) {
      this.event('namedFd', start, this.pos);
      return;
    }
    const reserved = word.literal === word.raw ? word.raw : undefined;
    if (list.forHeader) {
      this.readForHeaderWord(list, word, reserved);
      return;
    }
    if (list.commandPosition && !list.current && reserved !== undefined && this.handleReserved(list, reserved, start)) {
      this.afterReservedWord(list, word, reserved, start);
      return;
    }
    if (list.commandPosition) {
      if (this.readAssignment(list, word, start)) return;
      list.commandPosition = false;
    }
    const command = this.commandAt(list, start);
    command.words.push(word);
    command.end = this.abs(this.pos);
    this.out.expandedWords.push(word);
  }

  /** Between `for x` and `do`: the words of the list (brace-expanded in bash). */
  private readForHeaderWord(list: ListState, word: Word, reserved: string | undefined): void {
    if (reserved === 'do') {
      list.forHeader = false;
      list.commandPosition = true;
    } else if (reserved !== 'in') {
      this.out.expandedWords.push(word);
    }
  }

  /** What a reserved word changes in the list: the `if`/loop condition state, and command position. */
  private afterReservedWord(list: ListState, word: Word, reserved: string, start: number): void {
    if (reserved === '[[') {
      // Recorded as a command so that `[[ … ]] && x` still reads as a list.
      this.commandAt(list, start).words.push({ ...word, value: '[[' });
      list.commandPosition = false;
      return;
    }
    if (reserved !== '!') list.lastOperator = undefined;
    const conditional = innermostOf(list, 'if');
    if (reserved === 'then' && conditional) conditional.inCondition = false;
    if (reserved === 'elif' && conditional) {
      conditional.inCondition = true;
      conditional.elifs = (conditional.elifs ?? 0) + 1;
    }
    if (reserved === 'else' && conditional) conditional.elseAt = this.abs(start);
    if (reserved === 'do') {
      const loop = innermostOf(list, 'loop');
      if (loop) loop.inCondition = false;
    }
    if (reserved === 'if' || reserved === 'while' || reserved === 'until') list.stack[list.stack.length - 1].inCondition = true;
    list.commandPosition = !['fi', 'done', '}', 'esac'].includes(reserved);
  }

  /** `NAME=value` (and bash's `a[i]=`, `a+=`) before the command name. */
  private readAssignment(list: ListState, word: Word, start: number): boolean {
    const assignment = assignmentPattern.exec(word.raw);
    if (!assignment || !word.literal.startsWith(assignment[0].slice(0, assignment[1].length))) return false;
    if (assignment[2]) this.event('arrayElementAssignment', start, this.pos);
    else if (assignment[3]) this.event('appendAssignment', start, this.pos);
    const command = this.commandAt(list, start);
    command.assignments.push(word);
    command.end = this.abs(this.pos);
    return true;
  }

  /** Handles a reserved word in command position; false when the word is an ordinary command. */
  private handleReserved(list: ListState, word: string, start: number): boolean {
    switch (word) {
      case 'if':
        this.openCompound(list, 'if', start);
        return true;
      case 'while':
      case 'until':
        this.openCompound(list, 'loop', start);
        return true;
      case 'then':
      case 'else':
      case 'elif':
      case 'do':
      case '!':
        return true;
      case '{':
        this.openCompound(list, 'group', start);
        return true;
      case '}':
        this.closeCompound(list, ['group']);
        return true;
      case 'fi':
        this.closeCompound(list, ['if']);
        return true;
      case 'done':
        this.closeCompound(list, ['loop']);
        return true;
      case 'esac':
        this.closeCompound(list, ['case']);
        return true;
      case 'case': {
        this.skipBlanks();
        this.readWord();
        this.skipBlanksAndNewlines();
        this.readWord();
        this.openCompound(list, 'case', start, 'pattern');
        return true;
      }
      case 'for':
      case 'select': {
        if (word === 'select') this.event('select', start, this.pos);
        this.openCompound(list, 'loop', start);
        this.skipBlanks();
        if (this.text.startsWith('((', this.pos)) {
          const close = this.text.indexOf('))', this.pos);
          const end = close < 0 ? this.text.length : close + 2;
          this.event('cStyleFor', start, end);
          this.pos = end;
        } else {
          this.readWord();
          list.forHeader = true;
        }
        return true;
      }
      case 'function': {
        this.skipBlanks();
        const name = this.readWord();
        this.skipBlanks();
        if (this.text[this.pos] === '(') {
          const close = this.text.indexOf(')', this.pos);
          if (close > 0 && this.text.slice(this.pos + 1, close).trim() === '') this.pos = close + 1;
        }
        this.event('functionKeyword', start, this.pos);
        list.pendingFunction = name.raw;
        return true;
      }
      case '[[': {
        this.skipDoubleBracket();
        this.event('doubleBracket', start, this.pos);
        return true;
      }
      case 'coproc':
        this.event('coproc', start, this.pos);
        return true;
      default:
        return false;
    }
  }

  private skipBlanksAndNewlines(): void {
    for (;;) {
      this.skipBlanks();
      if (this.text[this.pos] === '\n') this.pos++;
      else if (this.text[this.pos] === '#') this.skipComment();
      else return;
    }
  }

  /** Steps over the inside of `[[ … ]]`, where `<`, `&&` and `(` are not shell operators. */
  private skipDoubleBracket(): void {
    while (this.pos < this.text.length) {
      this.skipBlanks();
      const ch = this.text[this.pos];
      if (ch === '\n' || ch === undefined) return;
      if (this.text.startsWith(']]', this.pos) && (this.pos + 2 >= this.text.length || this.isBreakAt(this.pos + 2))) {
        this.pos += 2;
        return;
      }
      if ('&|<>()'.includes(ch)) {
        this.pos++;
        continue;
      }
      if (this.readWord().raw === '') this.pos++;
    }
  }

  /** Reads `pattern | pattern )` or the closing `esac` of a case statement. */
  private readCasePattern(entry: OpenCompound, closeCase: () => void): void {
    this.skipBlanksAndNewlines();
    const first = this.text[this.pos] === '(' ? undefined : this.readWord();
    if (first && first.raw === 'esac' && first.literal === first.raw) {
      closeCase();
      return;
    }
    if (first?.raw === '') {
      // An operator where a pattern belongs (`;;` straight after `in`, …): step over it.
      this.pos++;
      return;
    }
    if (this.text[this.pos] === '(') this.pos++;
    while (this.pos < this.text.length) {
      this.skipBlanks();
      const ch = this.text[this.pos];
      if (ch === ')') {
        this.pos++;
        entry.caseState = 'body';
        return;
      }
      if (ch === '\n') return;
      if (ch === '|') {
        this.pos++;
        continue;
      }
      if (this.readWord().raw === '') this.pos++;
    }
  }

  private readHeredocs(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const heredoc of pending) {
      const bodyStart = this.pos;
      let bodyEnd = this.text.length;
      while (this.pos < this.text.length) {
        let lineEnd = this.text.indexOf('\n', this.pos);
        if (lineEnd < 0) lineEnd = this.text.length;
        let line = this.text.slice(this.pos, lineEnd);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (heredoc.stripTabs) line = line.replace(/^\t+/, '');
        if (line === heredoc.delimiter) {
          bodyEnd = this.pos;
          this.pos = Math.min(lineEnd + 1, this.text.length);
          break;
        }
        // An unquoted delimiter leaves `$` and backquotes active in the body; the rest is text.
        if (heredoc.expand) this.scanExpansionsUntil(lineEnd);
        this.pos = Math.min(lineEnd + 1, this.text.length);
      }
      bodyEnd = Math.min(bodyEnd, this.text.length);
      heredoc.redirect.body = { start: this.abs(bodyStart), end: this.abs(bodyEnd), text: this.text.slice(bodyStart, bodyEnd) };
    }
  }

  private scanExpansionsUntil(end: number): void {
    while (this.pos < end) {
      const ch = this.text[this.pos];
      if (ch === '\\') this.pos += 2;
      else if (ch === '$') {
        if (!this.scanDollar(true)) this.pos++;
      } else if (ch === '`') this.scanBacktick();
      else this.pos++;
    }
  }

  private makeWord(start: number, end: number, literal: string): Word {
    const raw = this.text.slice(start, end);
    return { raw, start: this.abs(start), end: this.abs(end), literal };
  }

  readWord(): Word {
    const start = this.pos;
    const seenBefore = this.expansionsSeen;
    let literal = '';
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      const from = this.pos;
      if (ch === '\\') {
        this.pos = Math.min(this.pos + 2, this.text.length);
      } else if (this.isBreakAt(this.pos)) {
        break;
      } else if (ch === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        this.pos = end < 0 ? this.text.length : end + 1;
      } else if (ch === '"') {
        this.scanDoubleQuoted();
      } else if (ch === '$' && this.scanDollar(false)) {
        // consumed
      } else if (ch === '`') {
        this.scanBacktick();
      } else {
        literal += ch;
        this.pos++;
        continue;
      }
      literal += '\0'.repeat(this.pos - from);
    }
    const word = this.makeWord(start, this.pos, literal);
    if (this.expansionsSeen === seenBefore) word.value = dequote(word.raw);
    return word;
  }

  private scanDoubleQuoted(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === '\\') this.pos += 2;
      else if (ch === '"') {
        this.pos++;
        return;
      } else if (ch === '$') {
        if (!this.scanDollar(true)) this.pos++;
      } else if (ch === '`') this.scanBacktick();
      else this.pos++;
    }
  }

  /** At a `$`: consumes the expansion and answers true, or answers false for a lone `$`. */
  private scanDollar(inDoubleQuotes: boolean): boolean {
    const start = this.pos;
    const next = this.text[this.pos + 1];
    if (next === "'" && !inDoubleQuotes) {
      let i = this.pos + 2;
      while (i < this.text.length && this.text[i] !== "'") i += this.text[i] === '\\' ? 2 : 1;
      this.pos = Math.min(i + 1, this.text.length);
      this.event('ansiCQuote', start, this.pos);
      this.expansionsSeen++;
      return true;
    }
    if (next === '"' && !inDoubleQuotes) {
      this.pos++;
      this.scanDoubleQuoted();
      this.event('localeString', start, this.pos);
      this.expansionsSeen++;
      return true;
    }
    if (next === '(') {
      this.expansionsSeen++;
      if (this.text[this.pos + 2] === '(' && this.scanArithmetic()) return true;
      this.pos += 2;
      const commandsBefore = this.out.commands.length;
      this.parseNested();
      this.noteFileRead(commandsBefore, start);
      return true;
    }
    if (next === '{') {
      this.expansionsSeen++;
      this.pos += 2;
      const bodyStart = this.pos;
      while (this.pos < this.text.length && this.text[this.pos] !== '}') {
        const ch = this.text[this.pos];
        if (ch === '\\') this.pos += 2;
        else if (ch === "'" && !inDoubleQuotes) {
          const end = this.text.indexOf("'", this.pos + 1);
          this.pos = end < 0 ? this.text.length : end + 1;
        } else if (ch === '"') this.scanDoubleQuoted();
        else if (ch === '$') {
          if (!this.scanDollar(inDoubleQuotes)) this.pos++;
        } else if (ch === '`') this.scanBacktick();
        else this.pos++;
      }
      const body = this.text.slice(bodyStart, this.pos);
      this.pos = Math.min(this.pos + 1, this.text.length);
      this.out.expansions.push({ kind: 'param', start: this.abs(start), end: this.abs(this.pos), body, braced: true });
      return true;
    }
    if (next === '[') {
      const end = this.text.indexOf(']', this.pos);
      if (end < 0) return false;
      this.expansionsSeen++;
      this.pos = end + 1;
      this.event('oldArithmetic', start, this.pos);
      return true;
    }
    const name = /^([A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(this.text.slice(this.pos + 1, this.pos + 65));
    if (!name) return false;
    this.expansionsSeen++;
    this.pos += 1 + name[1].length;
    this.out.expansions.push({ kind: 'param', start: this.abs(start), end: this.abs(this.pos), body: name[1], braced: false });
    return true;
  }

  /** At `$((`: consumes an arithmetic expansion; false if it is `$( (…) )` after all. */
  private scanArithmetic(): boolean {
    const start = this.pos;
    let depth = 0;
    let i = this.pos + 3;
    for (; i < this.text.length; i++) {
      const ch = this.text[i];
      if (ch === '(') depth++;
      else if (ch === ')') {
        if (depth > 0) depth--;
        else break;
      }
    }
    if (this.text[i] !== ')' || this.text[i + 1] !== ')') return false;
    this.recordArith(start + 3, i, start, i + 2);
    // Expansions inside the expression (`$((${#x} + 1))`) are checked like any other.
    this.pos = start + 3;
    this.scanExpansionsUntil(i);
    this.pos = i + 2;
    return true;
  }

  private recordArith(bodyStart: number, bodyEnd: number, start: number, end: number): void {
    this.out.expansions.push({
      kind: 'arith',
      start: this.abs(start),
      end: this.abs(end),
      body: this.text.slice(bodyStart, bodyEnd),
      braced: false,
    });
  }

  /** Parses the commands of `$(…)` or `<(…)` up to the closing parenthesis, and steps over it. */
  private parseNested(): void {
    const nested = new Parser(this.text, this.base, this.substDepth + 1, this.out);
    nested.pos = this.pos;
    nested.pendingHeredocs = this.pendingHeredocs;
    nested.parseList(true);
    // A here-document opened inside may already have been read there.
    this.pendingHeredocs = nested.pendingHeredocs;
    this.pos = Math.min(nested.pos + 1, this.text.length);
  }

  private scanBacktick(): void {
    const start = this.pos;
    this.expansionsSeen++;
    let i = this.pos + 1;
    while (i < this.text.length && this.text[i] !== '`') i += this.text[i] === '\\' ? 2 : 1;
    // Inside backquotes `\$`, `\\` and `` \` `` lose their backslash; a blank keeps offsets.
    const inner = this.text.slice(start + 1, Math.min(i, this.text.length)).replace(/\\([\\`$])/g, ' $1');
    const commandsBefore = this.out.commands.length;
    new Parser(inner, this.abs(start + 1), this.substDepth + 1, this.out).parseScript();
    this.pos = Math.min(i + 1, this.text.length);
    this.noteFileRead(commandsBefore, start);
  }

  /** `$(<file)` is bash's shorthand for `$(cat file)`; dash runs an empty command instead. */
  private noteFileRead(commandsBefore: number, start: number): void {
    const added = this.out.commands.slice(commandsBefore);
    if (added.length !== 1) return;
    const [command] = added;
    if (command.words.length || command.assignments.length || command.redirects.length !== 1) return;
    if (command.redirects[0].op !== '<') return;
    this.event('dollarFileRead', start, this.pos);
  }
}

export function parseShell(text: string): ShellSyntax {
  const out: ShellSyntax = { commands: [], compounds: [], functions: [], expansions: [], events: [], expandedWords: [], comments: [] };
  new Parser(text, 0, 0, out).parseScript();
  return out;
}
