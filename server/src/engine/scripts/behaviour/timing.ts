/** WaitExceedsTimeout: waits the agent's time limit does not allow, and work that grows with the data. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import type { CommandFact, ScriptFacts } from './facts';
import type { BehaviourContext, BehaviourFinding } from './types';

const UNIT_SECONDS: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };

/** `30`, `1.5m`, `2h` → seconds; undefined when it is not written out. */
export function durationSeconds(value: string | undefined): number | undefined {
  const match = value === undefined ? null : /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value);
  return match ? Number(match[1]) * UNIT_SECONDS[match[2]] : undefined;
}

const DUMPS = new Set(['mysqldump', 'mariadb-dump', 'pg_dump', 'pg_dumpall', 'pg_basebackup', 'mongodump', 'expdp', 'exp', 'xtrabackup', 'mariabackup', 'mariadb-backup', 'innobackupex']);

function finding(fact: CommandFact, message: string, data: BehaviourFinding['data']): BehaviourFinding {
  return { code: ScriptCode.waitExceedsTimeout, severity: 'warning', message, start: fact.command.start, end: fact.command.end, data };
}

export function checkTiming(facts: ScriptFacts, context: BehaviourContext): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  const limit = context.timeoutSeconds ?? undefined;
  for (const fact of facts.commands) {
    if (fact.background) continue;
    if (limit !== undefined && fact.name === 'sleep' && !fact.wrapper) {
      const seconds = fact.args.reduce<number | undefined>((sum, word) => {
        const each = durationSeconds(word.value);
        return sum === undefined || each === undefined ? undefined : sum + each;
      }, 0);
      if (seconds !== undefined && seconds >= limit) {
        found.push(finding(fact, l10n.t('This waits {0} s, and the agent gives the script {1} s: it times out here, and the agent carries on without it (it never stops the script).', seconds, limit), { rule: 'sleep', seconds, limit }));
      }
    }
    if (limit !== undefined && fact.wrapper === 'timeout') {
      const duration = fact.command.words.slice(1).find((word) => !(word.value ?? '-').startsWith('-'));
      const seconds = durationSeconds(duration?.value);
      if (seconds !== undefined && seconds >= limit) {
        found.push(finding(fact, l10n.t('This command may run {0} s, and the agent gives the script {1} s: the agent times out first. Make the timeout shorter than the agent\'s.', seconds, limit), { rule: 'timeout', seconds, limit }));
      }
    }
    if (context.side === 'pre' && fact.name && DUMPS.has(fact.name)) {
      found.push(finding(fact, l10n.t('{0} takes longer as the data grows, and the agent\'s time limit does not: a pre-script that worked on day one times out later. A snapshot needs no dump; quiesce instead, or take dumps outside the backup window.', fact.name), { rule: 'dump' }));
    }
  }
  return found;
}
