/**
 * Walking a script's commands in the order they run: the command before, the pipeline around,
 * what follows in the same function. Shared by the rules that follow a status to `exit`.
 */
import { CommandFact, isExit, lowerBound, ScriptFacts } from './facts';

/** How far back or ahead a rule looks for a command: enough for any real script, bounded for hostile ones. */
export const REACH = 256;

export function within(inner: { start: number; end: number }, outer: { start: number; end: number }): boolean {
  return inner.start >= outer.start && inner.end <= outer.end;
}

export function describe(fact: CommandFact): string {
  return fact.name ?? fact.nameWord?.raw ?? fact.command.assignments[0]?.raw ?? '?';
}

/** The command that ran just before `command` started: the one whose status `$?` holds there. */
export function previousCommand(facts: ScriptFacts, index: number): CommandFact | undefined {
  const { start } = facts.commands[index].command;
  for (let i = index - 1; i >= 0 && i >= index - REACH; i--) if (facts.commands[i].command.end <= start) return facts.commands[i];
  return undefined;
}

/** The innermost command that holds an offset (a `$?` in its words). */
export function commandAround(facts: ScriptFacts, offset: number, end: number): number {
  const low = lowerBound(facts.starts, offset + 1);
  for (let i = low - 1; i >= 0 && i >= low - REACH; i--) if (facts.commands[i].command.end >= end) return i;
  return -1;
}

/** The first command of the pipeline that ends with `last`. */
export function pipelineStart(facts: ScriptFacts, last: CommandFact): CommandFact {
  let index = facts.indexOf.get(last) ?? 0;
  let first = last;
  while (first.command.previous === '|' && index > 0) {
    let before = index - 1;
    while (before >= 0 && !facts.commands[before].command.pipedOut) before--;
    if (before < 0) break;
    first = facts.commands[before];
    index = before;
  }
  return first;
}

/** The index of the first command that starts at or after an offset. */
export function lowerIndex(facts: ScriptFacts, offset: number): number {
  return lowerBound(facts.starts, offset);
}

/** What runs after `end` in the same function (or at top level), up to the first exit or return. */
export function factsAfter(facts: ScriptFacts, end: number, scope: CommandFact): CommandFact[] {
  const after: CommandFact[] = [];
  let scanned = 0;
  for (let i = lowerIndex(facts, end); i < facts.commands.length && scanned < REACH; i++, scanned++) {
    const fact = facts.commands[i];
    if (fact.inFunction !== scope.inFunction || fact.command.inSubstitution) continue;
    after.push(fact);
    if (isExit(fact)) break;
  }
  return after;
}
