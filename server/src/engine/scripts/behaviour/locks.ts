/** LockReleasedAtOnce: a lock or backup mode that ends with the client that took it. */
import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../../codes';
import { FTWRL, LOCK_TABLES, PG_BACKUP_STOP, PG_NON_EXCLUSIVE_START, UNLOCK_TABLES } from './actions';
import type { CommandFact, ScriptFacts } from './facts';
import type { BehaviourFinding } from './types';

function finding(fact: CommandFact, severity: 'error' | 'information', message: string, rule: string): BehaviourFinding {
  return { code: ScriptCode.lockReleasedAtOnce, severity, message, start: fact.command.start, end: fact.command.end, data: { rule } };
}

export function checkLocks(facts: ScriptFacts): BehaviourFinding[] {
  const found: BehaviourFinding[] = [];
  for (const fact of facts.commands) {
    // A client left running in the background holds its session: that is the held-lock pattern.
    if (fact.background || fact.messaging || fact.opaque) continue;
    if (fact.client === 'mysql') {
      const withoutUnlock = fact.text.replace(new RegExp(UNLOCK_TABLES.source, 'gi'), '');
      if (FTWRL.test(fact.text) || LOCK_TABLES.test(withoutUnlock)) {
        const what = FTWRL.test(fact.text) ? 'FLUSH TABLES WITH READ LOCK' : 'LOCK TABLES';
        found.push(finding(fact, 'error', l10n.t('{0} lasts only as long as the client session that took it: this client exits as soon as the statement ran, so the lock is gone before the snapshot is taken. Keep one client connected in the background until the post-script (as `vmsnapshot scaffold --app mysql` does).', what), 'oneShotLock'));
      } else if (UNLOCK_TABLES.test(fact.text)) {
        found.push(finding(fact, 'information', l10n.t('UNLOCK TABLES here runs in a new session, which holds no lock: it unlocks nothing. A lock taken by another client ended with that client; to end a held lock, end the session that holds it.'), 'unlockNewSession'));
      }
    } else if (fact.client === 'psql') {
      if (PG_NON_EXCLUSIVE_START.test(fact.text)) {
        found.push(finding(fact, 'error', l10n.t('A non-exclusive backup started with pg_backup_start (or pg_start_backup(label, fast, false)) is aborted when its session ends: this psql exits at once, so PostgreSQL is no longer in backup mode when the snapshot is taken. Keep one psql session open from the pre-script to the post-script, fed through a FIFO, as `vmsnapshot scaffold --app postgresql --set backup_mode=on` does (see LockReleasedAtOnce in the README).'), 'oneShotBackup'));
      } else if (PG_BACKUP_STOP.test(fact.text) && !/pg_stop_backup\s*\(\s*\)/i.test(fact.text)) {
        found.push(finding(fact, 'information', l10n.t('pg_backup_stop here runs in a new session, which started no backup: PostgreSQL answers with an error. A non-exclusive backup must be stopped in the session that started it.'), 'stopNewSession'));
      }
    }
  }
  return found;
}
