/** QuiesceUnbounded, SelfFreeze and NothingQuiesced: what the pre-script does to the application. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import { quiesceOf } from './actions';
import type { CommandFact, ScriptFacts } from './facts';
import type { BehaviourContext, BehaviourFinding } from './types';

function unitOf(facts: ScriptFacts, context: BehaviourContext): ScriptFacts[] {
  return context.unit?.length ? context.unit : [facts];
}

function rangeOf(fact: CommandFact): { start: number; end: number } {
  return { start: fact.command.start, end: fact.command.end };
}

export function checkQuiesce(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const freezeOn = context.fsFreezeEnabled !== false;
  const bounded = unitOf(facts, context).some((file) => file.hasWatchdog);
  for (const fact of facts.commands) {
    const action = quiesceOf(fact);
    if (!action) continue;
    if (action.kind === 'fsfreeze' && freezeOn) {
      found.push({
        code: ScriptCode.selfFreeze,
        severity: 'error',
        message: l10n.t('The agent freezes the file systems itself around the snapshot (fsFreezeEnabled is on): freezing them here too makes its own freeze fail or wait, and a file system frozen by a script stays frozen if the post-script never runs. Leave the freeze to the agent, or set "fsFreezeEnabled": false.'),
        ...rangeOf(fact),
        data: { rule: 'selfFreeze' },
      });
      continue;
    }
    if (!action.persistent || context.side === 'post' || bounded) continue;
    const suggestion = action.template
      ? l10n.t('Start a watchdog that undoes it after a time limit, as the scripts of `vmsnapshot scaffold --app {0}` do.', action.template)
      : l10n.t('Start a watchdog in the background that undoes it after a time limit (a `sleep` then the undo), as the scaffolded scripts do.');
    found.push({
      code: ScriptCode.quiesceUnbounded,
      severity: 'warning',
      message: `${l10n.t('{0} lasts after this script ends, and only the post-script undoes it: when the post-script never comes (the agent stopped, or this script timed out and the post-script ran first), the application stays quiesced until someone acts.', action.label)} ${suggestion}`,
      ...rangeOf(fact),
      data: { rule: 'unbounded', kind: action.kind, template: action.template },
    });
  }
  return found;
}

/** Commands that quiesce nothing by themselves: the shell's own, printing, files, text. */
const NOT_APPLICATION = new Set([
  'echo', 'printf', 'logger', ':', 'true', 'false', 'exit', 'return', 'set', 'umask', 'export', 'unset', 'cd', 'date',
  'sleep', 'cat', 'test', '[', 'read', 'shift', 'trap', 'wait', 'mkdir', 'touch', 'rm', 'chmod', 'chown', 'tee', 'mv',
  'cp', 'ln', 'wc', 'dirname', 'basename', 'head', 'tail', 'sed', 'awk', 'grep', 'cut', 'tr', 'stat', 'id', 'whoami',
  'hostname', 'env', 'command', 'type', 'which', 'sort', 'uniq', 'ls', 'find', '.', 'source', 'local', 'readonly',
  'eval', 'exec', 'printenv', 'pwd', 'uname', 'mktemp', 'realpath', 'readlink',
]);

const CLIENT_IN_COMMENT = /^#\s*(sudo\s+)?(mysql|mariadb|psql|mongo|mongosh|sqlplus|docker|systemctl|service|db2|csession|iris|fsfreeze|su\s)/;

function isApplicationCommand(fact: CommandFact, unit: ScriptFacts[]): boolean {
  if (fact.name === undefined) return fact.nameWord !== undefined; // named through a variable: benefit of the doubt
  if (NOT_APPLICATION.has(fact.name)) return false;
  return !unit.some((file) => file.functionNames.has(fact.name!));
}

export function checkNothingQuiesced(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  if (context.side !== 'pre') return [];
  const unit = unitOf(facts, context);
  if (unit.some((file) => file.commands.some((fact) => isApplicationCommand(fact, unit)))) return [];
  const commented = facts.syntax.comments.find((comment) => CLIENT_IN_COMMENT.test(facts.text.slice(comment.start, comment.end)));
  const firstCommand = facts.commands.find((fact) => fact.nameWord);
  const at = commented ?? (firstCommand ? firstCommand.command : { start: 0, end: 0 });
  return [{
    code: ScriptCode.nothingQuiesced,
    severity: 'warning',
    message: commented
      ? l10n.t('This pre-script runs no application command: the ones it has are commented out. It exits 0, so the backup is reported application-consistent while nothing was quiesced.')
      : l10n.t('This pre-script runs no application command: it only prints, waits or handles files. It exits 0, so the backup is reported application-consistent while nothing was quiesced.'),
    start: at.start,
    end: at.end,
    data: { rule: commented ? 'commentedOut' : 'noApplicationCommand' },
  }];
}
