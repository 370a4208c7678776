/**
 * The two scripts as a pair: what the pre-script quiesces, the post-script must undo
 * (UndoMissing), and a post-script should undo only what the pre-script recorded having done
 * (ResumeWithoutState).
 */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import { FTWRL, isResume, PG_NON_EXCLUSIVE_START, QuiesceAction, quiesceOf, undoes } from './actions';
import type { CommandFact, ScriptFacts } from './facts';
import type { BehaviourFinding } from './types';

/** What the pre-script leaves quiesced for the post-script to undo, by kind, first occurrence. */
function quiescedByPre(pre: ScriptFacts[]): QuiesceAction[] {
  const found = new Map<string, QuiesceAction>();
  const holdsSessions = pre.some((file) => file.commands.some((fact) => fact.background));
  for (const file of pre) {
    for (const fact of file.commands) {
      const action = quiesceOf(fact);
      // A one-shot lock ends with its client: there is nothing left to undo (LockReleasedAtOnce says so).
      if (action && (action.persistent || (fact.background && holdsSessions)) && !found.has(action.kind)) found.set(action.kind, action);
      // The held-session pattern writes the statement to a file that a background client reads.
      if (!holdsSessions || fact.messaging) continue;
      if (FTWRL.test(fact.text) && !found.has('mysqlLock')) {
        found.set('mysqlLock', { kind: 'mysqlLock', label: 'FLUSH TABLES WITH READ LOCK', persistent: false, template: 'mysql', undoLabel: '' });
      }
      if (PG_NON_EXCLUSIVE_START.test(fact.text) && !found.has('pgBackup')) {
        found.set('pgBackup', { kind: 'pgBackup', label: 'pg_backup_start', persistent: false, template: 'postgresql', undoLabel: '' });
      }
    }
  }
  return [...found.values()];
}

function undoLabel(action: QuiesceAction): string {
  switch (action.kind) {
    case 'mysqlLock':
      return l10n.t('ending the session that holds the lock (KILL CONNECTION, or stopping the client)');
    case 'pgBackup':
      return l10n.t('pg_backup_stop() in the session that started the backup');
    default:
      return action.undoLabel;
  }
}

function firstCommand(facts: ScriptFacts): { start: number; end: number } {
  const fact = facts.commands.find((candidate) => candidate.nameWord);
  return fact ? { start: fact.command.start, end: fact.command.end } : { start: 0, end: 0 };
}

/** Findings on the post-script (its first file) for each quiesce of the pre-script it never undoes. */
export function checkPairing(pre: ScriptFacts[], post: ScriptFacts[]): BehaviourFinding[] {
  if (!post.length) return [];
  const postCommands = post.flatMap((file) => file.commands);
  return quiescedByPre(pre)
    .filter((action) => !postCommands.some((fact) => undoes(fact, action.kind)))
    .map((action) => ({
      code: ScriptCode.undoMissing,
      severity: 'warning' as const,
      message: l10n.t('The pre-script runs {0}, and this post-script never undoes it ({1}): after the snapshot the application stays quiesced.', action.label, undoLabel(action)),
      ...firstCommand(post[0]),
      data: { rule: 'undoMissing', kind: action.kind },
    }));
}

function checksState(fact: CommandFact): boolean {
  if ((fact.name === '[' || fact.name === 'test') && fact.args.some((word) => /^-[efsdpr]$/.test(word.value ?? ''))) return true;
  if (fact.name === 'read' || fact.name === 'cat') return true;
  return fact.command.redirects.some((redirect) => redirect.op === '<' && redirect.target?.value !== '/dev/null');
}

/** A post-script that resumes without looking at what the pre-script recorded. */
export function checkResumeState(facts: ScriptFacts, unit: ScriptFacts[]): BehaviourFinding[] {
  if (unit.some((file) => file.commands.some(checksState))) return [];
  const resume = facts.commands.find((fact) => isResume(fact) && !fact.command.condition);
  if (!resume) return [];
  return [{
    code: ScriptCode.resumeWithoutState,
    severity: 'information',
    message: l10n.t('This post-script resumes without checking what the pre-script did: it also runs after a pre-script that failed, timed out or never ran, and then starts or unlocks what was not stopped by it (a service someone stopped on purpose, say). Have the pre-script record what it stopped (a file in /run) and undo only that.'),
    start: resume.command.start,
    end: resume.command.end,
    data: { rule: 'noState' },
  }];
}
