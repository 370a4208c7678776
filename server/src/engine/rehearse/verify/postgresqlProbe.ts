import * as l10n from '@vscode/l10n';
import type { Clock } from '../ports';
import type { QuiesceProbe } from '../rehearse';
import { lockSeconds, RunCommand } from './settings';

const RELEASE_GRACE_SECONDS = 10;

/**
 * A session that started a backup and lives on: non-exclusive backups have no global flag, the
 * backup lasts as long as the session that called pg_backup_start (pg_start_backup before 15).
 */
const HELD_BACKUP_SESSIONS = `SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state <> 'active' AND (query ILIKE '%pg_backup_start%' OR query ILIKE '%pg_start_backup%')`;

/**
 * PostgreSQL: during the window another session must see a session holding a started backup,
 * and after the post-script (or the scripts' own bound) none.
 */
export function postgresqlProbe(psql: string, env: Record<string, string>, settings: Map<string, string>, run: RunCommand, clock: Clock): QuiesceProbe {
  const query = (sql: string) => run(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: { ...env, PGAPPNAME: 'vmsnapshot-verify' }, timeoutMs: 30_000 });
  const heldSessions = async (): Promise<string[]> => {
    const result = await query(HELD_BACKUP_SESSIONS);
    if (result.status !== 0) throw new Error(l10n.t('--verify cannot query PostgreSQL: {0}', result.stderr.trim()));
    return result.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
  };
  let preStartedAt = 0;
  return {
    application: 'PostgreSQL',
    async prepare() {
      await heldSessions();
      preStartedAt = clock.now();
    },
    async quiesced() {
      const sessions = await heldSessions();
      if (sessions.length > 0) return { ok: true, message: l10n.t('Session {0} holds a backup started with pg_backup_start: backup mode is on for the snapshot.', sessions.join(', ')) };
      return { ok: false, message: l10n.t('No session holds a started backup during the snapshot window. A backup started by a client that exits at once (psql -c "SELECT pg_backup_start(…)") is aborted as its session ends; the session must stay open until the post-script.') };
    },
    async released(withoutPost) {
      const bound = lockSeconds(settings);
      const deadline = clock.now() + (withoutPost ? Math.max(0, bound * 1000 - (clock.now() - preStartedAt)) + RELEASE_GRACE_SECONDS * 1000 : RELEASE_GRACE_SECONDS * 1000);
      const from = clock.now();
      for (;;) {
        const sessions = await heldSessions();
        if (sessions.length === 0) {
          return {
            ok: true,
            message: withoutPost
              ? l10n.t('With no post-script, the backup ended by itself {0} s after the pre-script started (bound {1} s).', Math.round((clock.now() - preStartedAt) / 100) / 10, bound)
              : l10n.t('No session holds a backup {0} s after the post-script: backup mode is off.', Math.round((clock.now() - from) / 100) / 10),
          };
        }
        if (clock.now() >= deadline) {
          return {
            ok: false,
            message: withoutPost
              ? l10n.t('With no post-script, session {0} still held the backup {1} s after the pre-script started, beyond its bound of {2} s.', sessions.join(', '), Math.round((clock.now() - preStartedAt) / 1000), bound)
              : l10n.t('Session {0} still holds the backup after the post-script: the post-script does not end it.', sessions.join(', ')),
          };
        }
        await clock.sleep(500);
      }
    },
    async cleanup() {},
  };
}
