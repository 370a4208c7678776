import * as l10n from '@vscode/l10n';
import type { Clock } from '../ports';
import type { QuiesceProbe } from '../rehearse';
import { lockSeconds, RunCommand } from './settings';

/** How long the probing write waits for a lock before it counts as "waits". */
const WRITE_WAIT_SECONDS = 2;
/** How long after the post-script writes may still wait before the lock counts as not released. */
const RELEASE_GRACE_SECONDS = 10;
const PROBE_TABLE = 'vmsnapshot_rehearsal.probe';

/**
 * MySQL/MariaDB: during the window a write from another session must wait for the global read
 * lock (it gives up after a short lock_wait_timeout), and after the post-script it must go
 * through. The write goes to a table of its own, created before the pre-script (creating it
 * during the lock would wait too) and dropped at the end.
 */
export function mysqlProbe(client: string, optionsFile: string, settings: Map<string, string>, run: RunCommand, clock: Clock): QuiesceProbe {
  const sql = (query: string, timeoutMs = 30_000) => run(client, [`--defaults-extra-file=${optionsFile}`, '--batch', '--skip-column-names', '-e', query], { timeoutMs });
  const write = () => sql(`SET SESSION lock_wait_timeout = ${WRITE_WAIT_SECONDS}; INSERT INTO ${PROBE_TABLE} () VALUES ()`);
  const lockTimeout = (stderr: string) => /\b1205\b|Lock wait timeout/i.test(stderr);
  let preStartedAt = 0;
  return {
    application: 'MySQL/MariaDB',
    async prepare() {
      const created = await sql(`CREATE DATABASE IF NOT EXISTS vmsnapshot_rehearsal; CREATE TABLE IF NOT EXISTS ${PROBE_TABLE} (id INT AUTO_INCREMENT PRIMARY KEY, at TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB`);
      if (created.status !== 0) throw new Error(l10n.t('--verify cannot write to the database with {0} --defaults-extra-file={1}: {2}', client, optionsFile, created.stderr.trim()));
      preStartedAt = clock.now();
    },
    async quiesced() {
      const result = await write();
      if (result.status === 0) {
        return { ok: false, message: l10n.t('A write from another session went through during the snapshot window: nothing held the lock. A lock taken by a client that exits at once (mysql -e "FLUSH TABLES WITH READ LOCK") ends with that client; the session that holds it must stay open until the post-script.') };
      }
      if (lockTimeout(result.stderr)) return { ok: true, message: l10n.t('A write from another session waited {0} s for the lock and gave up: the tables are locked.', WRITE_WAIT_SECONDS) };
      return { ok: false, message: l10n.t('The probing write failed for another reason: {0}', result.stderr.trim()) };
    },
    async released(withoutPost) {
      const bound = lockSeconds(settings);
      const deadline = clock.now() + (withoutPost ? Math.max(0, bound * 1000 - (clock.now() - preStartedAt)) + RELEASE_GRACE_SECONDS * 1000 : RELEASE_GRACE_SECONDS * 1000);
      const from = clock.now();
      for (;;) {
        const result = await write();
        const after = Math.round((clock.now() - from) / 100) / 10;
        if (result.status === 0) {
          return {
            ok: true,
            message: withoutPost
              ? l10n.t('With no post-script, writes went through again {0} s after the pre-script started (lock bound {1} s).', Math.round((clock.now() - preStartedAt) / 100) / 10, bound)
              : l10n.t('A write from another session went through {0} s after the post-script: the lock is released.', after),
          };
        }
        if (!lockTimeout(result.stderr)) return { ok: false, message: l10n.t('The probing write failed for another reason: {0}', result.stderr.trim()) };
        if (clock.now() >= deadline) {
          return {
            ok: false,
            message: withoutPost
              ? l10n.t('With no post-script, writes still waited {0} s after the pre-script started, beyond its lock bound of {1} s: the application stays frozen when the post-script never comes.', Math.round((clock.now() - preStartedAt) / 1000), bound)
              : l10n.t('Writes still waited {0} s after the post-script: the post-script does not release the lock.', Math.round(after)),
          };
        }
        await clock.sleep(500);
      }
    },
    async cleanup() {
      await sql(`SET SESSION lock_wait_timeout = 5; DROP DATABASE IF EXISTS vmsnapshot_rehearsal`, 15_000);
    },
  };
}
