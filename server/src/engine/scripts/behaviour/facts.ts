/**
 * What a script's commands are, read from the shell parser's output: the program each one really
 * runs (through `sudo`, `env`, `docker exec`, …), the text it feeds to that program (arguments,
 * here-documents, a piped `echo`), whether it runs in the background and whether its status is
 * tested. The behaviour rules are written against these facts, never against lines of text.
 */
import { Compound, Expansion, FunctionDef, parseShell, ShellSyntax, SimpleCommand, Word } from '../shellSyntax';

export type Client = 'mysql' | 'psql' | 'mongo' | 'sqlplus' | 'db2' | 'cache';

export interface CommandFact {
  command: SimpleCommand;
  /** The program's base name (`mysql` for `/usr/bin/mysql`, `docker exec c mysql`, `sudo mysql`). */
  name?: string;
  /** The word that names the program, for ranges. */
  nameWord?: Word;
  /** The words after the program's name. */
  args: Word[];
  /** The first word when the program runs through another (`sudo`, `docker`, `su`, …). */
  wrapper?: string;
  /** The database client the command talks to, if any. */
  client?: Client;
  /**
   * What the program is given to run: its arguments (unquoted where possible), its
   * here-documents, a here-string, and the text an `echo`/`printf` pipes into it.
   */
  text: string;
  /** Runs in the background (`cmd &`, or inside `( … ) &`): the script does not wait for it. */
  background: boolean;
  /** Its status is looked at: a condition, `&&`/`||`, `$?` read next, or `set -e` in effect. */
  tested: boolean;
  /** Only prints (`echo`, `printf`, `logger`, or a function that only prints). */
  messaging: boolean;
  /**
   * A call of one of the script's functions that starts no database client: its arguments are
   * data (`fail "BEGIN BACKUP failed"`), not statements to run.
   */
  opaque: boolean;
  /** The function whose body holds it, if any. */
  inFunction?: FunctionDef;
}

export interface ScriptFacts {
  text: string;
  syntax: ShellSyntax;
  /** Every simple command, in source order. */
  commands: CommandFact[];
  /** Function names whose bodies end the script with a non-zero status (`fail() { …; exit 1; }`). */
  failingFunctions: Set<string>;
  functionNames: Set<string>;
  /** A background job that sleeps: the watchdog that undoes a quiesce when no post-script comes. */
  hasWatchdog: boolean;
  /** `set -e` (or `set -o errexit`) before this offset makes every later failure end the script. */
  errexitFrom?: number;
  /** Position of each command in `commands`. */
  indexOf: Map<CommandFact, number>;
  /** Where each command starts, ascending (the order of `commands`). */
  starts: number[];
  /** Every `$?`, by where it starts. */
  statusReads: Expansion[];
  /** The innermost compound around each command, linked to the ones around it. */
  around: Map<SimpleCommand, Enclosure | undefined>;
}

/** A compound and, through `up`, the compounds around it: walked instead of searching all compounds. */
export interface Enclosure {
  compound: Compound;
  up?: Enclosure;
}

const MESSAGING = new Set(['echo', 'printf', 'logger', ':', 'true']);

const CLIENTS: Record<string, Client> = {
  mysql: 'mysql',
  mariadb: 'mysql',
  psql: 'psql',
  mongo: 'mongo',
  mongosh: 'mongo',
  sqlplus: 'sqlplus',
  db2: 'db2',
  csession: 'cache',
  iris: 'cache',
  ccontrol: 'cache',
};

export function basename(value: string): string {
  const slash = value.lastIndexOf('/');
  return slash < 0 ? value : value.slice(slash + 1);
}

/** A word's text with quotes removed where it has no expansion, else its raw text. */
export function wordText(word: Word): string {
  return word.value ?? word.raw;
}

/** The program's base name; `"$ORACLE_HOME/bin/sqlplus"` names sqlplus too. */
function nameOf(word: Word): string | undefined {
  if (word.value !== undefined) return basename(word.value);
  const tail = /\/([A-Za-z0-9_.+-]+)["']?$/.exec(word.raw)?.[1];
  return tail;
}

/** The client a variable probably names: `$MYSQL`, `${PSQL_BIN}`. */
function clientOfVariable(raw: string): Client | undefined {
  const name = /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(raw)?.[1]?.toLowerCase();
  if (!name) return undefined;
  if (name.includes('mysql') || name.includes('mariadb')) return 'mysql';
  if (name.includes('psql')) return 'psql';
  if (name.includes('mongo')) return 'mongo';
  if (name.includes('sqlplus')) return 'sqlplus';
  return undefined;
}

/** Options of the wrappers that take a value as the next word. */
const WRAPPER_VALUE_OPTIONS: Record<string, Set<string>> = {
  sudo: new Set(['-u', '-g', '-U', '-C', '-h', '-p', '-r', '-t', '-D']),
  runuser: new Set(['-u', '-g', '-G', '-s', '-w']),
  nice: new Set(['-n']),
  ionice: new Set(['-c', '-n', '-p']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  exec: new Set(['-u', '--user', '-e', '--env', '-w', '--workdir', '--env-file']),
};

/**
 * Steps over the programs that only start another one, and answers where the real program's
 * name is. `su -c '…'` and `sh -c '…'` run a string: their text is what counts.
 */
function unwrap(words: Word[]): { index: number; wrapper?: string } {
  let i = 0;
  let wrapper: string | undefined;
  const skipOptions = (values: Set<string>): void => {
    while (i < words.length) {
      const value = words[i].value;
      if (value === undefined || !value.startsWith('-')) return;
      i++;
      if (value === '--') return;
      if (values.has(value)) i++;
    }
  };
  for (let guard = 0; guard < 6 && i < words.length; guard++) {
    const name = basename(words[i].value ?? '');
    if (name === 'sudo' || name === 'runuser' || name === 'nice' || name === 'ionice' || name === 'nohup' || name === 'exec' || name === 'command' || name === 'stdbuf') {
      wrapper ??= name;
      i++;
      skipOptions(WRAPPER_VALUE_OPTIONS[name] ?? new Set());
    } else if (name === 'env') {
      wrapper ??= name;
      i++;
      while (i < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i].raw) || words[i].value?.startsWith('-'))) i++;
    } else if (name === 'timeout') {
      wrapper ??= name;
      i++;
      skipOptions(WRAPPER_VALUE_OPTIONS.timeout);
      i++; // the duration
    } else if ((name === 'docker' || name === 'podman' || name === 'kubectl') && words[i + 1]?.value === 'exec') {
      wrapper ??= name;
      i += 2;
      skipOptions(WRAPPER_VALUE_OPTIONS.exec);
      if (name !== 'kubectl') i++; // the container
    } else {
      break;
    }
  }
  return { index: i, wrapper };
}

function clientInText(text: string): Client | undefined {
  if (/\b(mysql|mariadb)\b/.test(text)) return 'mysql';
  if (/\bpsql\b/.test(text)) return 'psql';
  if (/\bmongo(sh)?\b/.test(text)) return 'mongo';
  if (/\bsqlplus\b/.test(text)) return 'sqlplus';
  return undefined;
}

function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

/** The first index in an ascending list whose value is at least `value`. */
/** The index of the first value not below `value` in sorted `values`. */
export function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A `$?` read inside the span, if any. */
export function readsStatus(facts: ScriptFacts, span: { start: number; end: number }): Expansion | undefined {
  const reads = facts.statusReads;
  let low = 0;
  let high = reads.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (reads[mid].start < span.start) low = mid + 1;
    else high = mid;
  }
  const read = reads[low];
  return read && read.end <= span.end ? read : undefined;
}

/** The innermost compound of the given kinds around a command. */
export function enclosing(facts: ScriptFacts, command: SimpleCommand, kinds: Compound['kind'][]): Compound | undefined {
  for (let at = facts.around.get(command); at; at = at.up) if (kinds.includes(at.compound.kind)) return at.compound;
  return undefined;
}

/** The commands that start and end within [from, to], in order. */
export function commandsWithin(facts: ScriptFacts, from: number, to: number): CommandFact[] {
  const found: CommandFact[] = [];
  for (let i = lowerBound(facts.starts, from); i < facts.commands.length && facts.commands[i].command.start < to; i++) {
    if (facts.commands[i].command.end <= to) found.push(facts.commands[i]);
  }
  return found;
}

/** Links each command to the compounds around it, in one sweep over both in source order. */
function linkEnclosures(commands: readonly SimpleCommand[], compounds: readonly Compound[]): Map<SimpleCommand, Enclosure | undefined> {
  const sorted = [...compounds].sort((a, b) => a.start - b.start || b.end - a.end);
  const around = new Map<SimpleCommand, Enclosure | undefined>();
  const stack: Enclosure[] = [];
  let next = 0;
  for (const command of commands) {
    while (next < sorted.length && sorted[next].start <= command.start) {
      const compound = sorted[next++];
      while (stack.length && stack[stack.length - 1].compound.end <= compound.start) stack.pop();
      stack.push({ compound, up: stack[stack.length - 1] });
    }
    while (stack.length && stack[stack.length - 1].compound.end <= command.start) stack.pop();
    let top: Enclosure | undefined = stack[stack.length - 1];
    while (top && top.compound.end < command.end) top = top.up;
    around.set(command, top);
  }
  return around;
}

/** A literal exit or return status: `exit 3` → 3, `exit` → undefined, `exit "$rc"` → NaN. */
export function exitStatusOf(fact: CommandFact): number | undefined {
  const word = fact.args[0];
  if (!word) return undefined;
  return word.value !== undefined && /^\d+$/.test(word.value) ? Number(word.value) % 256 : Number.NaN;
}

export function isExit(fact: CommandFact): boolean {
  return fact.name === 'exit' || fact.name === 'return';
}

/** `exit 1`, `exit "$rc"`, `return 1`, `false`, or a call of a function that does so. */
export function endsInFailure(fact: CommandFact, facts: ScriptFacts): boolean {
  if (fact.name === 'false') return true;
  if (fact.name !== undefined && facts.failingFunctions.has(fact.name)) return true;
  if (!isExit(fact)) return false;
  const status = exitStatusOf(fact);
  return status === undefined ? false : status !== 0;
}

export function buildFacts(text: string, syntax: ShellSyntax = parseShell(text)): ScriptFacts {
  const ordered = [...syntax.commands].sort((a, b) => a.start - b.start || b.end - a.end);
  const around = linkEnclosures(ordered, syntax.compounds);
  const functionBySpan = new Map(syntax.functions.map((fn) => [`${fn.start}:${fn.end}`, fn]));
  const functionOf = (command: SimpleCommand): FunctionDef | undefined => {
    for (let at = around.get(command); at; at = at.up) {
      const fn = functionBySpan.get(`${at.compound.start}:${at.compound.end}`);
      if (fn) return fn;
    }
    return undefined;
  };
  const inBackground = (command: SimpleCommand): boolean => {
    for (let at = around.get(command); at; at = at.up) if (at.compound.next === '&') return true;
    return false;
  };
  const errexitCommand = ordered.find((command) => {
    const [name, ...rest] = command.words;
    if (name?.value !== 'set') return false;
    return rest.some((word) => /^-[a-z]*e[a-z]*$/.test(word.value ?? '')) || rest.some((word, i) => word.value === '-o' && rest[i + 1]?.value === 'errexit');
  });

  const commands: CommandFact[] = ordered.map((command) => {
    const { index, wrapper } = unwrap(command.words);
    const nameWord = command.words[index];
    const name = nameWord ? nameOf(nameWord) : undefined;
    const args = command.words.slice(index + 1);
    const parts = args.map(wordText);
    for (const redirect of command.redirects) {
      if (redirect.body) parts.push(redirect.body.text);
      if (redirect.op === '<<<' && redirect.target) parts.push(wordText(redirect.target));
    }
    let client = name !== undefined ? CLIENTS[name] : nameWord ? clientOfVariable(nameWord.raw) : undefined;
    if (!client && (name === 'su' || name === 'sh' || name === 'bash' || name === 'runuser') && args.some((word) => word.value === '-c')) {
      client = clientInText(parts.join(' '));
    }
    return {
      command,
      name,
      nameWord,
      args,
      wrapper,
      client,
      text: parts.join(' '),
      background: command.next === '&' || inBackground(command),
      tested: false,
      messaging: name !== undefined && MESSAGING.has(name),
      opaque: false,
      inFunction: functionOf(command),
    };
  });

  // `echo "FLUSH TABLES WITH READ LOCK" | mysql`: the echoed text is what the client runs.
  for (let i = 1; i < commands.length; i++) {
    const before = commands[i - 1];
    if (before.command.pipedOut && (before.messaging || before.name === 'cat') && commands[i].command.previous === '|') {
      commands[i].text = `${before.text} ${commands[i].text}`;
    }
  }

  const functionNames = new Set(syntax.functions.map((fn) => fn.name));
  const bodies = new Map<FunctionDef, CommandFact[]>(syntax.functions.map((fn) => [fn, []]));
  for (const fact of commands) if (fact.inFunction && !fact.command.inSubstitution) bodies.get(fact.inFunction)?.push(fact);
  const bodyOf = (fn: FunctionDef): CommandFact[] => bodies.get(fn) ?? [];
  // A function that only prints is a way of printing (`log "…"`).
  const messagingFunctions = new Set<string>();
  for (const fn of syntax.functions) {
    const body = bodyOf(fn);
    if (body.length && body.every((fact) => fact.messaging || fact.name === 'date')) messagingFunctions.add(fn.name);
  }
  for (const fact of commands) if (fact.name !== undefined && messagingFunctions.has(fact.name)) fact.messaging = true;
  // Functions that start a client, directly or through another such function.
  const clientFunctions = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of syntax.functions) {
      if (clientFunctions.has(fn.name)) continue;
      if (bodyOf(fn).some((fact) => fact.client !== undefined || (fact.name !== undefined && clientFunctions.has(fact.name)))) {
        clientFunctions.add(fn.name);
        changed = true;
      }
    }
  }
  for (const fact of commands) {
    if (fact.name === undefined || !functionNames.has(fact.name)) continue;
    fact.opaque = !clientFunctions.has(fact.name);
    // A call of a function that runs a client runs that client.
    if (!fact.opaque && !fact.client) fact.client = clientOfFunction(fact.name, syntax.functions, bodyOf);
  }

  const facts: ScriptFacts = {
    text,
    syntax,
    commands,
    failingFunctions: new Set(),
    functionNames,
    hasWatchdog: false,
    errexitFrom: errexitCommand?.end,
    indexOf: new Map(commands.map((fact, i) => [fact, i])),
    starts: commands.map((fact) => fact.command.start),
    statusReads: syntax.expansions.filter((expansion) => expansion.kind === 'param' && expansion.body === '?').sort((a, b) => a.start - b.start),
    around,
  };
  // A function that exits non-zero (directly or through another such function).
  for (let changed = true; changed; ) {
    changed = false;
    for (const fn of syntax.functions) {
      if (facts.failingFunctions.has(fn.name)) continue;
      if (bodyOf(fn).some((fact) => fact.name === 'exit' ? endsInFailure(fact, facts) : fact.name !== undefined && facts.failingFunctions.has(fact.name))) {
        facts.failingFunctions.add(fn.name);
        changed = true;
      }
    }
  }

  facts.hasWatchdog = commands.some((fact) => fact.background && (fact.name === 'sleep' || (fact.name === 'timeout' && fact.wrapper === undefined)))
    || commands.some((fact) => fact.name === 'systemd-run' && fact.args.some((word) => /^--on-(active|calendar)/.test(word.value ?? '')))
    || commands.some((fact) => fact.name === 'at');

  for (let i = 0; i < commands.length; i++) commands[i].tested = isTested(commands, i, facts);
  return facts;
}

function clientOfFunction(name: string, functions: FunctionDef[], bodyOf: (fn: FunctionDef) => CommandFact[]): Client | undefined {
  const fn = functions.find((candidate) => candidate.name === name);
  return fn ? bodyOf(fn).find((fact) => fact.client !== undefined)?.client : undefined;
}

/** The next command in source order that is not inside this one (`$(…)` in its arguments). */
export function nextCommand(commands: CommandFact[], index: number): CommandFact | undefined {
  const current = commands[index].command;
  for (let i = index + 1; i < commands.length; i++) if (commands[i].command.start >= current.end) return commands[i];
  return undefined;
}

function isTested(commands: CommandFact[], index: number, facts: ScriptFacts): boolean {
  const { command } = commands[index];
  if (command.condition) return true;
  if (command.next === '&&' || command.next === '||') return true;
  if (facts.errexitFrom !== undefined && command.start > facts.errexitFrom) return true;
  // In a pipeline only the last command's status counts, and `a && b ||`… is tested at the end.
  const next = nextCommand(commands, index);
  if (next && readsStatus(facts, next.command) && !command.pipedOut) return true;
  if (next && next.name === 'exit' && next.args.length === 0) return true;
  // The last command of the script, or of a function, hands its status on.
  if (!next) return true;
  if (commands[index].inFunction && !nextInside(next, commands[index].inFunction!)) return true;
  // A compound ended by `|| exit 1` after it tests it too.
  for (let at = facts.around.get(command); at; at = at.up) if (at.compound.next === '&&' || at.compound.next === '||') return true;
  return false;
}

function nextInside(next: CommandFact, fn: FunctionDef): boolean {
  return within(next.command, fn);
}

/**
 * Where a pattern occurs in the script within what the command runs (its words and its
 * here-documents): the exact place to mark and to edit. Undefined when it is not written there
 * literally (it comes from a piped `echo`, say).
 */
export function locate(fact: CommandFact, pattern: RegExp): { start: number; end: number; text: string } | undefined {
  const flags = pattern.flags.includes('i') ? 'i' : '';
  const search = new RegExp(pattern.source, flags);
  const places: { start: number; raw: string }[] = fact.args.map((word) => ({ start: word.start, raw: word.raw }));
  for (const redirect of fact.command.redirects) if (redirect.body) places.push({ start: redirect.body.start, raw: redirect.body.text });
  for (const place of places) {
    const match = search.exec(place.raw);
    if (match) return { start: place.start + match.index, end: place.start + match.index + match[0].length, text: match[0] };
  }
  return undefined;
}
