/**
 * ExitStatusLost, FailureExitsZero and NonZeroExitIsFailure: the agent asks a script for one
 * thing, its exit status. These rules follow the status from the quiesce command to `exit`.
 */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import type { Compound, Expansion } from '../shellSyntax';
import { isResume, QuiesceAction, quiesceOf } from './actions';
import { CommandFact, commandsWithin, endsInFailure, enclosing, isExit, nextCommand, readsStatus, ScriptFacts } from './facts';
import { quiesceCallOf, savedStatusTested } from './statusFlow';
import { commandAround, describe, factsAfter, previousCommand, pipelineStart, REACH, within } from './statusWalk';
import type { BehaviourContext, BehaviourFinding } from './types';

/** The last command of the pipeline that `first` starts or continues. */
function pipelineEnd(facts: ScriptFacts, first: CommandFact): CommandFact {
  let end = first;
  for (let i = (facts.indexOf.get(first) ?? facts.commands.length) + 1; i < facts.commands.length && end.command.pipedOut; i++) {
    const candidate = facts.commands[i];
    if (candidate.command.previous === '|' || candidate.command.previous === '|&') end = candidate;
  }
  return end;
}

/**
 * The POSIX way to keep the first command's status of a pipeline, without bash's PIPESTATUS: the
 * first command writes its status to fd 3, which the command substitution captures, while the
 * pipeline's output goes on to the original stdout through fd 4.
 */
function pipeStatusFix(facts: ScriptFacts, first: CommandFact, last: CommandFact, status: Expansion): BehaviourFinding['data']['edits'] | undefined {
  const pipelineText = facts.text.slice(first.command.start, last.command.end);
  const firstText = facts.text.slice(first.command.start, first.command.end);
  const restText = facts.text.slice(first.command.end, last.command.end).replace(/^\s*\|\s*/, '');
  // Only plain one-line pipelines: here-documents, redirected output or a `|&` would change meaning.
  const pipeline = commandsWithin(facts, first.command.start, last.command.end);
  if (pipelineText.includes('\n') || pipelineText.includes('|&') || pipeline.some((fact) => fact.command.inSubstitution)) return undefined;
  if (pipeline.some((fact) => fact.command.redirects.some((redirect) => redirect.body || redirect.op === '<<' || redirect.op === '<<-'))) return undefined;
  if (last.command.redirects.some((redirect) => redirect.fd === undefined || redirect.fd === 1 || redirect.fd === 'both') && last.command.redirects.some((redirect) => redirect.op.includes('>'))) return undefined;
  const replacement = `{ first_status=$( { { ${firstText}; echo $? >&3; } | ${restText} >&4; } 3>&1 ); } 4>&1`;
  const braced = facts.text.slice(status.start, status.end);
  const name = braced.startsWith('${') ? '${first_status}' : '$first_status';
  // `$?` is never split into words, the variable could be: a word of its own gets quotes.
  const reader = facts.commands[commandAround(facts, status.start, status.end)];
  const alone = reader?.command.words.some((word) => word.start === status.start && word.end === status.end);
  return [
    { start: first.command.start, end: last.command.end, text: replacement },
    { start: status.start, end: status.end, text: alone ? `"${name}"` : name },
  ];
}

/** A command whose status a script means to test: a quiesce, a resume, a database client, a call of a function that quiesces. */
export function isMeant(facts: ScriptFacts, fact: CommandFact): boolean {
  if (fact.messaging || fact.command.inSubstitution || fact.name === undefined) return false;
  return fact.client !== undefined || quiesceOf(fact) !== undefined || isResume(fact) || quiesceCallOf(facts, fact) !== undefined;
}

/** What a command quiesces, directly or through a function it calls. */
export function actionOf(facts: ScriptFacts, fact: CommandFact): QuiesceAction | undefined {
  return quiesceOf(fact) ?? quiesceCallOf(facts, fact);
}

/**
 * The command a `$?` read was meant for, when another one ran in between (`cmd; sleep 1; if [ $? …`):
 * the nearest earlier untested command the script means to test, in the same function, with no
 * other `$?` read, condition or exit between.
 */
function meantBefore(facts: ScriptFacts, before: CommandFact): CommandFact | undefined {
  const index = facts.indexOf.get(before) ?? 0;
  for (let i = index - 1, seen = 0; i >= 0 && i >= index - REACH && seen < 4; i--) {
    const candidate = facts.commands[i];
    if (candidate.command.inSubstitution || candidate.inFunction !== before.inFunction) continue;
    seen++;
    if (candidate.command.condition || isExit(candidate) || readsStatus(facts, candidate.command) || candidate.background) return undefined;
    if (isMeant(facts, candidate)) return candidate.tested ? undefined : candidate;
    if (candidate.command.next === '&&' || candidate.command.next === '||' || candidate.command.pipedOut) return undefined;
  }
  return undefined;
}

function checkStatusReads(facts: ScriptFacts, misread: Set<CommandFact>): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const expansion of facts.statusReads) {
    const index = commandAround(facts, expansion.start, expansion.end);
    if (index < 0) continue;
    const before = previousCommand(facts, index);
    if (!before) continue;
    if (before.command.previous === '|' || before.command.previous === '|&') {
      const first = pipelineStart(facts, before);
      const edits = pipeStatusFix(facts, first, before, expansion);
      found.push({
        code: ScriptCode.exitStatusLost,
        severity: 'warning',
        message: l10n.t('$? here is the status of `{0}`, the last command of the pipeline, not of `{1}`: when `{1}` fails, this test still sees success. sh (dash) has no PIPESTATUS; keep the first command\'s status by writing it to another file descriptor.', describe(before), describe(first)),
        start: expansion.start,
        end: expansion.end,
        data: { rule: 'pipelineStatus', ...(edits ? { edits, fixTitle: l10n.t('Keep the status of `{0}` (POSIX form)', describe(first)) } : {}) },
      });
    } else if (before.messaging && !before.command.inSubstitution) {
      found.push({
        code: ScriptCode.exitStatusLost,
        severity: 'warning',
        message: l10n.t('$? here is the status of `{0}` on the line before, which only prints: the status of the command before it is already lost. Save it right after that command (`rc=$?`), or test the command itself (`if ! command; then …`).', describe(before)),
        start: expansion.start,
        end: expansion.end,
        data: { rule: 'statusOfMessage' },
      });
    } else if (!before.command.inSubstitution && !isMeant(facts, before)) {
      const meant = meantBefore(facts, before);
      if (!meant) continue;
      misread.add(meant);
      found.push({
        code: ScriptCode.exitStatusLost,
        severity: 'warning',
        message: l10n.t('$? here is the status of `{0}`, which ran after `{1}`: when `{1}` fails, this test still sees the success of `{0}`. Save the status right after `{1}` (`rc=$?`), or test `{1}` itself (`if ! {1} …; then exit 1; fi`).', describe(before), describe(meant)),
        start: expansion.start,
        end: expansion.end,
        data: { rule: 'statusOfOther', meant: describe(meant) },
      });
    }
  }
  return found;
}

/** The command whose status counts for a command inside `$(…)`: the one that holds it. */
function outerOf(facts: ScriptFacts, fact: CommandFact): CommandFact {
  const index = facts.indexOf.get(fact) ?? 0;
  let outer = fact;
  for (let i = index - 1; i >= 0 && i >= index - REACH; i--) {
    const other = facts.commands[i];
    if (!other.command.inSubstitution && within(fact.command, other.command)) return other;
    if (within(fact.command, other.command)) outer = other;
  }
  return outer;
}

function checkUntestedQuiesce(facts: ScriptFacts, misread: Set<CommandFact>): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const fact of facts.commands) {
    const action = actionOf(facts, fact);
    if (!action || fact.background || misread.has(fact)) continue;
    const decisive = fact.command.inSubstitution ? outerOf(facts, fact) : fact;
    // `cmd; rc=$?` counts as a test only when something tests rc.
    if ((decisive.tested && savedStatusTested(facts, decisive)) || decisive.background) continue;
    // In a pipeline whose end is tested, the pipeline-status finding says what is wrong.
    if (fact.command.pipedOut && pipelineEnd(facts, fact).tested) continue;
    found.push({
      code: ScriptCode.exitStatusLost,
      severity: 'warning',
      message: l10n.t('Nothing tests whether {0} worked: when it fails, the script goes on and exits 0, and the backup is reported application-consistent. Test it (`if ! …; then exit 1; fi`, or `… || exit 1`).', quiesceOf(fact) ? action.label : `${describe(fact)} (${action.label})`),
      start: fact.command.start,
      end: fact.command.end,
      data: { rule: 'quiesceUntested', kind: action.kind },
    });
  }
  return found;
}

function branchOf(facts: ScriptFacts, compound: Compound, from: number, to: number): CommandFact[] {
  return commandsWithin(facts, from, to).filter((fact) => !fact.command.condition && within(fact.command, compound));
}

/** Does a failure that takes this branch end the script (or its function) non-zero? */
function failureHandled(facts: ScriptFacts, branch: CommandFact[], after: CommandFact[]): boolean {
  if (branch.some((fact) => endsInFailure(fact, facts))) return true;
  // A branch that stops (exit 0, return) has decided; one that falls through leaves it to what follows.
  if (branch.some((fact) => isExit(fact))) return false;
  return after.some((fact) => endsInFailure(fact, facts));
}

interface FailurePath {
  /** The commands that run when the quiesce failed, and what follows when they fall through. */
  branch: CommandFact[];
  after: CommandFact[];
}

/** The commands a failure of `fact` runs, when the script decides on its status. */
function failurePath(facts: ScriptFacts, index: number): FailurePath | undefined {
  const fact = facts.commands[index];
  if (fact.command.next === '||' && !fact.command.condition) {
    const next = nextCommand(facts.commands, index);
    if (!next) return undefined;
    return { branch: [next], after: factsAfter(facts, next.command.end, fact) };
  }
  let test = fact;
  if (!fact.command.condition) {
    // `cmd; if [ $? -ne 0 ]`, or `cmd; rc=$?; if [ "$rc" != 0 ]`.
    const next = nextCommand(facts.commands, index);
    if (!next || !readsStatus(facts, next.command)) return undefined;
    test = next;
    if (!next.command.condition) {
      const variable = next.command.assignments.map((word) => /^([A-Za-z_][A-Za-z0-9_]*)=["']?\$\{?\?\}?["']?$/.exec(word.raw)?.[1]).find(Boolean);
      if (!variable) return undefined;
      const reference = new RegExp(`\\$\\{?${variable}\\}?`);
      const at = facts.indexOf.get(next) ?? 0;
      const later = facts.commands.slice(at + 1, at + 1 + REACH).filter((candidate) => candidate.inFunction === next.inFunction);
      const condition = later.find((candidate) => candidate.command.condition && reference.test(facts.text.slice(candidate.command.start, candidate.command.end)));
      if (!condition) return undefined;
      test = condition;
    }
  }
  const conditional = enclosing(facts, test.command, ['if']);
  if (!conditional) return undefined;
  const testText = facts.text.slice(conditional.start, test.command.end);
  const conditionText = facts.text.slice(test.command.start, test.command.end);
  let failureInThen: boolean;
  if (test === fact) failureInThen = /(^|\s)!\s/.test(testText.slice(2));
  else if (/(-ne|!=|-gt)\s*["']?0["']?(\s|\]|$)/.test(conditionText)) failureInThen = true;
  else if (/(-eq|=)\s*["']?0["']?(\s|\]|$)/.test(conditionText)) failureInThen = false;
  else return undefined;
  const elseAt = conditional.elseAt ?? conditional.end;
  const branch = failureInThen ? branchOf(facts, conditional, test.command.end, elseAt) : conditional.elseAt !== undefined ? branchOf(facts, conditional, conditional.elseAt, conditional.end) : [];
  if (conditional.elifs && !failureInThen) return undefined;
  return { branch, after: factsAfter(facts, conditional.end, fact) };
}

function checkFailurePaths(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  // A later test in the same function (or at top level): the resume is confirmed after all.
  const lastTest = new Map<unknown, number>();
  facts.commands.forEach((fact, index) => {
    if (fact.command.condition) lastTest.set(fact.inFunction, index);
  });
  const confirmedLater = (index: number): boolean => (lastTest.get(facts.commands[index].inFunction) ?? -1) > index;
  facts.commands.forEach((fact, index) => {
    const action = actionOf(facts, fact);
    const resume = !action && context.side !== 'pre' && isResume(fact);
    if ((!action && !resume) || fact.background) return;
    const path = failurePath(facts, index);
    if (!path || failureHandled(facts, path.branch, path.after)) return;
    if (resume && confirmedLater(index)) return;
    const what = action ? (quiesceOf(fact) ? action.label : `${describe(fact)} (${action.label})`) : describe(fact);
    found.push({
      code: ScriptCode.failureExitsZero,
      severity: 'warning',
      message: resume
        ? l10n.t('When {0} fails, this script only goes on and can exit 0: the application may still be quiesced while the backup reports success. Exit non-zero on that path.', what)
        : l10n.t('When {0} fails, this script goes on and exits 0: the agent reports an application-consistent backup although nothing was quiesced. Exit non-zero on that path (`exit 1`).', what),
      start: fact.command.start,
      end: fact.command.end,
      data: { rule: resume ? 'resumeFailureIgnored' : 'quiesceFailureIgnored' },
    });
  });
  return found;
}

const SUCCESS_WORDS = /\b(success|successful|successfully|succeeded|frozen|froze|thawed|ok|okay|complete|completed)\b/i;
const FAILURE_WORDS = /\b(fail|failed|failure|error|not|cannot|unable)\b/i;

function checkNonZeroExits(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const conditions = facts.commands.filter((fact) => fact.command.condition);
  let variableExits = 0;
  facts.commands.forEach((fact, index) => {
    if (fact.name !== 'exit') return;
    const status = fact.args[0];
    if (!status) return;
    if (status.value !== undefined && /^\d+$/.test(status.value)) {
      const code = Number(status.value) % 256;
      if (code === 0) return;
      const before = previousCommand(facts, index);
      const sameBlock = before && enclosing(facts, before.command, ['if', 'case', 'group', 'loop', 'subshell']) === enclosing(facts, fact.command, ['if', 'case', 'group', 'loop', 'subshell']);
      if (before?.messaging && sameBlock && /\bwarn(ing)?\b/i.test(before.text)) {
        found.push({
          code: ScriptCode.nonZeroExitIsFailure,
          severity: 'warning',
          message: l10n.t('exit {0} after a warning: the agent knows no warnings, and any status but 0 is a failure of the script (the backup falls back to file-system consistency, or fails). Exit 0 when the quiesce worked, non-zero only when it did not.', code),
          start: fact.command.start,
          end: fact.command.end,
          data: { rule: 'warningExit', status: code },
        });
      }
      return;
    }
    // `exit $status` where the script treats some non-zero value of it as success.
    const variable = /^"?\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?"?$/.exec(status.raw)?.[1];
    if (!variable) return;
    const comparison = new RegExp(`\\$\\{?${variable}\\}?["']?\\s*(-eq|==?)\\s*["']?(\\d+)`);
    if (++variableExits > REACH) return;
    for (const [conditionIndex, condition] of conditions.entries()) {
      const match = comparison.exec(facts.text.slice(condition.command.start, condition.command.end));
      if (!match || Number(match[2]) % 256 === 0) continue;
      const conditional = enclosing(facts, condition.command, ['if']);
      if (!conditional) continue;
      const nextCondition = conditions.slice(conditionIndex + 1).find((other) => enclosing(facts, other.command, ['if']) === conditional);
      const branchEnd = Math.min(nextCondition?.command.start ?? conditional.end, conditional.elseAt !== undefined && conditional.elseAt > condition.command.end ? conditional.elseAt : conditional.end);
      const branch = branchOf(facts, conditional, condition.command.end, branchEnd);
      const saysSuccess = branch.some((other) => other.messaging && SUCCESS_WORDS.test(other.text) && !FAILURE_WORDS.test(other.text));
      if (!saysSuccess) continue;
      found.push({
        code: ScriptCode.nonZeroExitIsFailure,
        severity: 'error',
        message: l10n.t('When {0} is {1}, which this script treats as success, it exits {1}: the agent takes any status but 0 for a failure, so every successful run is reported as failed. Exit 0 on the success path.', variable, match[2]),
        start: fact.command.start,
        end: fact.command.end,
        data: { rule: 'successCodeExit', variable, status: Number(match[2]) },
      });
      return;
    }
  });
  return found;
}

export function checkExitStatus(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  const misread = new Set<CommandFact>();
  const reads = checkStatusReads(facts, misread);
  return [...reads, ...checkUntestedQuiesce(facts, misread), ...checkFailurePaths(facts, context), ...checkNonZeroExits(facts)];
}
