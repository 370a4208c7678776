/** RemovedApi: calls that current PostgreSQL and MySQL versions no longer have. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import { CommandFact, locate, ScriptFacts } from './facts';
import { renamePgBackupCall } from './pgBackupRename';
import type { BehaviourFinding } from './types';

interface Removal {
  pattern: RegExp;
  /** The replacement text of a match, where a plain replacement is safe. */
  fix?: (match: string) => string;
  /** When the same text also names the replacement, it picks one by version: no finding. */
  replacement: RegExp;
  id: string;
  message: () => string;
}

const REMOVALS: Removal[] = [
  {
    id: 'pg_start_backup',
    pattern: /\bpg_start_backup\s*\(/i,
    replacement: /\bpg_backup_start\s*\(/i,
    message: () => l10n.t('pg_start_backup() was removed in PostgreSQL 15: the call fails there. Use pg_backup_start(label, fast) in a session that stays open until pg_backup_stop() in the post-script (as `vmsnapshot scaffold --app postgresql` does).'),
  },
  {
    id: 'pg_stop_backup',
    pattern: /\bpg_stop_backup\s*\(/i,
    replacement: /\bpg_backup_stop\s*\(/i,
    message: () => l10n.t('pg_stop_backup() was removed in PostgreSQL 15: the call fails there. Use pg_backup_stop() in the session that ran pg_backup_start().'),
  },
  {
    id: 'slaveStatement',
    pattern: /\b(START|STOP)\s+SLAVE\b/i,
    replacement: /\b(START|STOP)\s+REPLICA\b/i,
    fix: (match) => match.replace(/SLAVE/i, (word) => (word === 'slave' ? 'replica' : 'REPLICA')),
    message: () => l10n.t('START SLAVE and STOP SLAVE were removed in MySQL 8.4: the statement fails there. Use START REPLICA and STOP REPLICA (MySQL 8.0.22 and later, MariaDB 10.5.1 and later).'),
  },
  {
    id: 'showSlaveStatus',
    pattern: /\bSHOW\s+SLAVE\s+STATUS\b/i,
    replacement: /\bSHOW\s+REPLICA\s+STATUS\b/i,
    fix: (match) => match.replace(/SLAVE/i, (word) => (word === 'slave' ? 'replica' : 'REPLICA')),
    message: () => l10n.t('SHOW SLAVE STATUS was removed in MySQL 8.4: the statement fails there. Use SHOW REPLICA STATUS (MySQL 8.0.22 and later, MariaDB 10.5.1 and later).'),
  },
];

/**
 * A psql that runs its statements and exits: whatever backup it starts ends with it. The
 * PostgreSQL 15 functions start only non-exclusive backups, so a rename there is no fix.
 */
function isOneShotPsql(fact: CommandFact): boolean {
  return fact.client === 'psql' && !fact.background;
}

function oneShotMessage(id: string): string {
  return id === 'pg_start_backup'
    ? l10n.t('pg_start_backup() was removed in PostgreSQL 15, and renaming it is not enough here: its replacement pg_backup_start() starts only a non-exclusive backup, which PostgreSQL aborts as soon as this psql exits, before the snapshot. Hold one psql session from the pre-script to the post-script, as `vmsnapshot scaffold --app postgresql --set backup_mode=on` does (see LockReleasedAtOnce in the README); without WAL archiving, the scaffold\'s default (the agent\'s freeze and a CHECKPOINT) needs no backup mode at all.')
    : l10n.t('pg_stop_backup() was removed in PostgreSQL 15, and renaming it is not enough here: pg_backup_stop() must run in the session that ran pg_backup_start(), and this psql is a new session. Send it to the psql session that the pre-script holds open, as `vmsnapshot scaffold --app postgresql --set backup_mode=on` does (see LockReleasedAtOnce in the README).');
}

/** Text that writes SQL for another program (a FIFO, a file, a held client's descriptor), not a log line. */
function writesSqlSomewhere(fact: CommandFact): boolean {
  return fact.command.redirects.some((redirect) => redirect.op.includes('>'));
}

export function checkRemovedApi(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const fact of facts.commands) {
    if (fact.opaque || (fact.messaging && !writesSqlSomewhere(fact))) continue;
    for (const removal of REMOVALS) {
      if (!removal.pattern.test(fact.text) || removal.replacement.test(fact.text)) continue;
      const at = locate(fact, removal.pattern);
      const span = at ?? { start: fact.command.start, end: fact.command.end };
      const data: BehaviourFinding['data'] = { rule: removal.id };
      let message = removal.message();
      if (removal.id === 'pg_start_backup' || removal.id === 'pg_stop_backup') {
        if (isOneShotPsql(fact)) {
          message = oneShotMessage(removal.id);
          data.heldSessionNeeded = true;
        } else if (at) {
          const renamed = renamePgBackupCall(facts.text, at.start);
          if (renamed) {
            data.edits = [{ start: renamed.start, end: renamed.end, text: renamed.text }];
            data.fixTitle = l10n.t('Call {0} instead (PostgreSQL 15 and later)', renamed.text);
          }
        }
      } else if (at && removal.fix) {
        data.edits = [{ start: at.start, end: at.end, text: removal.fix(at.text) }];
        data.fixTitle = l10n.t('Replace with {0}', removal.fix(at.text));
      }
      found.push({ code: ScriptCode.removedApi, severity: 'warning', message, ...span, data });
    }
  }
  return found;
}
