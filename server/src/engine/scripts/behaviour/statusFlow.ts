/**
 * Where a script's status goes between the command that failed and `exit`: a status saved and
 * never tested, a pipeline whose test sees `tee`, a failure overwritten or recorded and then
 * dropped, result codes that fall through to exit 0. ExitStatusLost and FailureExitsZero, beside
 * the rules of exitStatus.ts; each walks the facts once, and what depends on functions is
 * computed once per facts (the facts are built once per script text).
 */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import type { Compound } from '../shellSyntax';
import { isResume, QuiesceAction, quiesceOf } from './actions';
import { describe, factsAfter, lowerIndex, pipelineStart, REACH, within } from './statusWalk';
import { CommandFact, endsInFailure, enclosing, exitStatusOf, isExit, nextCommand, readsStatus, ScriptFacts } from './facts';
import type { BehaviourContext, BehaviourFinding } from './types';

const ASSIGNED = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const VARIABLE_ONLY = /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/;
const STATUS_READ = /^["']?\$\{?\?\}?["']?$/;

/** `NAME=value` commands with no program: the name and the raw value of each. */
function assignmentsOf(fact: CommandFact): { name: string; value: string }[] {
  if (fact.command.words.length) return [];
  return fact.command.assignments.map((word) => ASSIGNED.exec(word.raw)).filter((match): match is RegExpExecArray => match !== null).map((match) => ({ name: match[1], value: match[2] }));
}

function referencePattern(name: string): RegExp {
  return new RegExp(`\\$\\{?${name}(?![A-Za-z0-9_])`);
}

const sameScope = (a: CommandFact, b: CommandFact): boolean => a.inFunction === b.inFunction;

const quiesceFunctions = new WeakMap<ScriptFacts, Map<string, QuiesceAction>>();

/**
 * Functions whose status is the status of a quiesce: the quiesce is the last command of the body
 * and hands its status on (`freeze() { docker pause web; }`). Their calls are the quiesce.
 */
function quiesceFunctionsOf(facts: ScriptFacts): Map<string, QuiesceAction> {
  let found = quiesceFunctions.get(facts);
  if (found) return found;
  found = new Map();
  for (const [index, fact] of facts.commands.entries()) {
    const fn = fact.inFunction;
    if (!fn || fact.command.inSubstitution || fact.background || fact.command.condition || fact.command.next === '&&' || fact.command.next === '||' || fact.command.pipedOut) continue;
    const action = quiesceOf(fact);
    if (!action) continue;
    const next = nextCommand(facts.commands, index);
    if (!next || !within(next.command, fn)) found.set(fn.name, action);
  }
  quiesceFunctions.set(facts, found);
  return found;
}

/** What a call of one of the script's functions quiesces, when the function hands on a quiesce's status. */
export function quiesceCallOf(facts: ScriptFacts, fact: CommandFact): QuiesceAction | undefined {
  if (fact.name === undefined || !facts.functionNames.has(fact.name) || fact.inFunction?.name === fact.name || fact.nameWord !== fact.command.words[0]) return undefined;
  return quiesceFunctionsOf(facts).get(fact.name);
}

/** A later command, not a message, that uses the variable (tests it, exits with it, passes it on). */
function variableUsed(facts: ScriptFacts, after: CommandFact, name: string): boolean {
  const reference = referencePattern(name);
  const index = facts.indexOf.get(after) ?? 0;
  for (let i = index + 1; i < facts.commands.length && i <= index + REACH; i++) {
    const fact = facts.commands[i];
    if (fact.messaging && !fact.command.condition) continue;
    if (reference.test(facts.text.slice(fact.command.start, fact.command.end))) return true;
  }
  // `case $rc in`: the subject is no command. Only the cases within the same reach.
  const until = facts.commands[Math.min(index + REACH, facts.commands.length - 1)]?.command.end ?? after.command.end;
  const subjects = caseSubjectsOf(facts);
  for (let i = lowerIndexOf(subjects, after.command.end); i < subjects.length && subjects[i].start <= until; i++) if (reference.test(subjects[i].text)) return true;
  return false;
}

const caseSubjects = new WeakMap<ScriptFacts, { start: number; text: string }[]>();

/** The first line of every `case`, by where it starts: computed once per facts. */
function caseSubjectsOf(facts: ScriptFacts): { start: number; text: string }[] {
  let found = caseSubjects.get(facts);
  if (!found) {
    found = facts.syntax.compounds
      .filter((compound) => compound.kind === 'case')
      .map((compound) => ({ start: compound.start, text: facts.text.slice(compound.start, Math.min(compound.end, facts.text.indexOf('\n', compound.start) >>> 0)) }))
      .sort((a, b) => a.start - b.start);
    caseSubjects.set(facts, found);
  }
  return found;
}

function lowerIndexOf(items: readonly { start: number }[], offset: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (items[mid].start <= offset) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Whether the status of a command whose next command reads `$?` is tested: `cmd; rc=$?` tests
 * nothing unless rc is used. True for any other way of testing (the caller knows it is tested).
 */
export function savedStatusTested(facts: ScriptFacts, fact: CommandFact): boolean {
  const { command } = fact;
  if (command.condition || command.next === '&&' || command.next === '||') return true;
  if (facts.errexitFrom !== undefined && command.start > facts.errexitFrom) return true;
  const next = nextCommand(facts.commands, facts.indexOf.get(fact) ?? 0);
  if (!next || !readsStatus(facts, next.command) || next.command.condition) return true;
  const saved = assignmentsOf(next).find((assignment) => STATUS_READ.test(assignment.value));
  if (!saved || next.command.next === '&&' || next.command.next === '||') return true;
  return variableUsed(facts, next, saved.name);
}

const PASS_THROUGH = new Set(['tee', 'cat', 'logger']);

/** `if cmd | tee log; then`, `cmd | tee log || exit 1`: the test sees tee's status. */
function checkTestedPipelines(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const fact of facts.commands) {
    if (fact.name === undefined || !PASS_THROUGH.has(fact.name) || fact.command.pipedOut || (fact.command.previous !== '|' && fact.command.previous !== '|&')) continue;
    if (!fact.command.condition && fact.command.next !== '&&' && fact.command.next !== '||') continue;
    const first = pipelineStart(facts, fact);
    if (first === fact || first.messaging) continue;
    found.push({
      code: ScriptCode.exitStatusLost,
      severity: 'warning',
      message: l10n.t('This tests the status of `{0}`, the last command of the pipeline, not of `{1}`: when `{1}` fails, `{0}` still succeeds and the script goes on as if it worked. sh (dash) has no pipefail: test `{1}` on its own and write its output to the log with a redirection (`>>log 2>&1`).', describe(fact), describe(first)),
      start: first.command.start,
      end: fact.command.end,
      data: { rule: 'testedPipeline', first: describe(first), last: describe(fact) },
    });
  }
  return found;
}

const innermostBlock = (facts: ScriptFacts, fact: CommandFact): Compound | undefined => enclosing(facts, fact.command, ['if', 'case', 'loop']);

/** `rc=$?` … `rc=0` … `exit $rc`: the failure saved in rc is overwritten before the exit. */
function checkOverwrittenStatus(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const [index, exit] of facts.commands.entries()) {
    if (!isExit(exit) || exit.command.inSubstitution) continue;
    const name = exit.args[0] && VARIABLE_ONLY.exec(exit.args[0].raw)?.[1];
    if (!name) continue;
    let reset: CommandFact | undefined;
    for (let i = index - 1; i >= 0 && i >= index - REACH; i--) {
      const fact = facts.commands[i];
      if (fact.command.inSubstitution || !sameScope(fact, exit)) continue;
      if (reset && (isExit(fact) || endsInFailure(fact, facts))) break; // a failure path between them ends the script on its own
      const assignment = assignmentsOf(fact).find((candidate) => candidate.name === name);
      if (!assignment) continue;
      if (!reset) {
        const unconditional = innermostBlock(facts, fact) === innermostBlock(facts, exit) && fact.command.previous !== '&&' && fact.command.previous !== '||' && fact.command.next !== '&&' && fact.command.next !== '||';
        if (!/^["']?0["']?$/.test(assignment.value) || !unconditional) break;
        reset = fact;
        continue;
      }
      if (STATUS_READ.test(assignment.value) || /^["']?([1-9]\d*)["']?$/.test(assignment.value)) {
        found.push({
          code: ScriptCode.failureExitsZero,
          severity: 'warning',
          message: l10n.t('{0}=0 here overwrites the status saved in {0} before (`{1}`): `{2}` below always exits 0, so a failure is reported as success. Remove this reset, or set {0} only on the path where everything worked.', name, facts.text.slice(fact.command.start, fact.command.end), facts.text.slice(exit.command.start, exit.command.end)),
          start: reset.command.start,
          end: reset.command.end,
          data: { rule: 'statusOverwritten', variable: name },
        });
      }
      break;
    }
  }
  return found;
}

const FAILURE_NAME = /fail|err|bad/i;
const SUCCESS_NAME = /ok|success|good/i;

/** The value records a failure: a non-zero status, `$?`, or a failure flag set (`failed=1`, `ok=false`). */
function recordsFailure(name: string, value: string): boolean {
  const bare = value.replace(/^["']|["']$/g, '');
  if (STATUS_READ.test(value) || /^[1-9]\d*$/.test(bare)) return true;
  if (FAILURE_NAME.test(name)) return bare !== '' && !/^(0|false|no)$/i.test(bare);
  if (SUCCESS_NAME.test(name)) return /^(false|no)$/i.test(bare);
  return false;
}

/** The command whose failure runs `fact`: `cmd || fact`, or `if ! cmd; then fact`. */
function failedCommand(facts: ScriptFacts, fact: CommandFact): CommandFact | undefined {
  const index = facts.indexOf.get(fact) ?? 0;
  if (fact.command.previous === '||') {
    for (let i = index - 1; i >= 0 && i >= index - REACH; i--) if (facts.commands[i].command.next === '||' && facts.commands[i].command.end <= fact.command.start) return facts.commands[i];
    return undefined;
  }
  const conditional = enclosing(facts, fact.command, ['if']);
  if (!conditional || conditional.elifs || (conditional.elseAt !== undefined && fact.command.start > conditional.elseAt)) return undefined;
  const condition = facts.commands.slice(lowerIndex(facts, conditional.start), index).filter((candidate) => candidate.command.condition && enclosing(facts, candidate.command, ['if']) === conditional);
  if (condition.length !== 1 || !/^if\s+!\s/.test(facts.text.slice(conditional.start, condition[0].command.end))) return undefined;
  return condition[0];
}

const lastReads = new WeakMap<ScriptFacts, Map<string, number>>();

/** Where each variable is last read in the text (`$name`, `${name}`): one pass over the text per facts. */
function lastReadOf(facts: ScriptFacts): (name: string) => number {
  let reads = lastReads.get(facts);
  if (!reads) {
    reads = new Map();
    for (const match of facts.text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) reads.set(match[1], match.index);
    lastReads.set(facts, reads);
  }
  const found = reads;
  return (name) => found.get(name) ?? -1;
}

/** `cmd || failed=1` … `exit 0`, with nothing reading `failed`: the failure is recorded and dropped. */
function checkDroppedFailures(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const reported = new Set<CommandFact>();
  const lastRead = lastReadOf(facts);
  for (const fact of facts.commands) {
    const recorded = assignmentsOf(fact).find((assignment) => recordsFailure(assignment.name, assignment.value));
    if (!recorded || fact.command.inSubstitution) continue;
    const failed = failedCommand(facts, fact);
    // A failed quiesce or resume has its own finding (quiesceFailureIgnored).
    if (!failed || failed.messaging || quiesceOf(failed) || quiesceCallOf(facts, failed) || (context.side !== 'pre' && isResume(failed))) continue;
    if (lastRead(recorded.name) >= fact.command.end) continue;
    const exit = factsAfter(facts, fact.command.end, fact).find((candidate) => isExit(candidate));
    if (!exit || exitStatusOf(exit) !== 0 || reported.has(exit) || innermostBlock(facts, exit) !== undefined) continue;
    reported.add(exit);
    found.push({
      code: ScriptCode.failureExitsZero,
      severity: 'warning',
      message: l10n.t('This exit 0 ends the script although a failure of `{0}` was recorded in {1}, which nothing reads: the backup is reported application-consistent. Exit non-zero when {1} says it failed.', describe(failed), recorded.name),
      start: exit.command.start,
      end: exit.command.end,
      data: { rule: 'failureRecordedIgnored', variable: recorded.name },
    });
  }
  return found;
}

/** Whether the script, going on after `offset`, ends with status 0: `exit 0`, an exit with a variable that defaults to 0, or its end. */
function fallsThroughToZero(facts: ScriptFacts, block: Compound, scope: CommandFact): boolean {
  for (let i = lowerIndex(facts, block.end), scanned = 0; i < facts.commands.length && scanned < REACH; i++, scanned++) {
    const fact = facts.commands[i];
    if (fact.command.inSubstitution || !sameScope(fact, scope)) continue;
    if (!isExit(fact)) {
      if (endsInFailure(fact, facts) || fact.command.condition || (fact.name !== undefined && facts.functionNames.has(fact.name))) return false; // decides on its own
      continue;
    }
    const status = exitStatusOf(fact);
    if (status === 0) return true;
    if (status === undefined || fact.name === 'return') return false;
    const name = VARIABLE_ONLY.exec(fact.args[0].raw)?.[1];
    return name !== undefined && defaultsToZero(facts, name, block, fact);
  }
  // The end of the script: its status is the last command's, a message's 0.
  return scope.inFunction === undefined;
}

/** The variable is last set to 0 before the block, and nowhere after it. */
function defaultsToZero(facts: ScriptFacts, name: string, block: Compound, exit: CommandFact): boolean {
  const index = facts.indexOf.get(exit) ?? 0;
  for (let i = index - 1; i >= 0 && i >= index - REACH; i--) {
    const fact = facts.commands[i];
    const assignment = assignmentsOf(fact).find((candidate) => candidate.name === name);
    if (!assignment) continue;
    if (fact.command.start >= block.start && fact.command.end <= block.end) continue; // set in a handled branch
    return fact.command.end <= block.start && /^["']?0["']?$/.test(assignment.value);
  }
  return false;
}

const CODE_TEST = /(-eq|==?)\s*["']?(\d+)["']?\s*\]?\s*;?\s*$/;

/** `if [ $rc -eq 1 ] … elif [ $rc -eq 2 ] … fi`, or `case $rc in 1) … esac`, with no catch-all, then exit 0. */
function checkUnhandledCodes(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const conditionsOf = new Map<Compound, CommandFact[]>();
  for (const fact of facts.commands) {
    if (!fact.command.condition) continue;
    const conditional = enclosing(facts, fact.command, ['if']);
    if (conditional) conditionsOf.set(conditional, [...(conditionsOf.get(conditional) ?? []), fact]);
  }
  const report = (block: Compound, codes: string[], scope: CommandFact, rule: string): void => {
    if (!fallsThroughToZero(facts, block, scope)) return;
    const lineEnd = facts.text.indexOf('\n', block.start);
    found.push({
      code: ScriptCode.failureExitsZero,
      severity: 'warning',
      message: rule === 'unhandledCases'
        ? l10n.t('Only the result codes {0} are handled, and there is no *) pattern: any other code falls through to exit 0, and the backup is reported application-consistent. Add a *) that exits non-zero.', [...new Set(codes)].join(', '))
        : l10n.t('Only the result codes {0} are handled, and there is no else: any other code falls through to exit 0, and the backup is reported application-consistent. Add an else that exits non-zero.', [...new Set(codes)].join(', ')),
      start: block.start,
      end: lineEnd < 0 ? block.end : Math.min(lineEnd, block.end),
      data: { rule: 'unhandledCodes', codes },
    });
  };
  for (const [conditional, conditions] of conditionsOf) {
    if (!conditional.elifs || conditional.elseAt !== undefined) continue;
    const codes = conditions.map((fact) => CODE_TEST.exec(facts.text.slice(fact.command.start, fact.command.end))?.[2]);
    if (!conditions.length || codes.some((code) => code === undefined)) continue;
    report(conditional, codes as string[], conditions[0], 'unhandledCodes');
  }
  for (const compound of facts.syntax.compounds) {
    if (compound.kind !== 'case') continue;
    const text = facts.text.slice(compound.start, compound.end);
    if (!/^case\s+"?\$\{?[A-Za-z_?][A-Za-z0-9_]*\}?"?\s+in\b/.test(text)) continue;
    const patterns = [...text.matchAll(/(?:^|\n|;;)\s*\(?\s*([^()\n;]+?)\s*\)/g)].map((match) => match[1]).slice(0, REACH);
    const codes = patterns.flatMap((pattern) => pattern.split('|').map((part) => part.trim().replace(/^["']|["']$/g, '')));
    if (!codes.length || codes.some((code) => !/^\d+$/.test(code))) continue;
    const inside = facts.commands[lowerIndex(facts, compound.start)];
    const scope = inside && inside.command.start < compound.end ? inside : undefined;
    if (!scope) continue;
    report(compound, codes, scope, 'unhandledCases');
  }
  return found;
}

export function checkStatusFlow(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  return [...checkTestedPipelines(facts), ...checkOverwrittenStatus(facts), ...checkDroppedFailures(facts, context), ...checkUnhandledCodes(facts)];
}
