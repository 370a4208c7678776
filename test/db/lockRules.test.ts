// The behaviour rules that depend on a database, against the real thing: a pre-script that
// LockReleasedAtOnce flags really leaves the database writable, and the scaffold's pre-script,
// which the rules leave clean, really blocks writes until its post-script.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { planScaffold } from '../../server/src/engine/scaffold';
import { checkScriptBehaviour, checkScriptsBehaviour } from '../../server/src/engine/scripts/behaviour';
import type { EngineDiagnostic } from '../../server/src/engine/types';
import { processesMatching, readLog, removeDir, runAsAgent, tempDir } from '../unit/scaffoldTestSupport';
import { HELD_PG_POST, HELD_PG_PRE } from '../unit/behaviourFixtures';
import { mariaDbMissing, MariaDb, Postgres, postgresMissing, runClient, startMariaDb, startPostgres } from './dbSupport';

/** The script with the quick fix of its RemovedApi finding applied, as the editor applies it. */
function withRemovedApiFixed(script: string): string {
  const [removed] = checkScriptBehaviour(script, { side: 'pre' }).filter((d) => d.code === 'RemovedApi');
  const fix = removed?.data?.fix as { range: EngineDiagnostic['range']; text: string }[] | undefined;
  assert.equal(fix?.length, 1, 'one RemovedApi edit');
  const lines = script.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  return script.slice(0, offset(fix[0].range.start)) + fix[0].text + script.slice(offset(fix[0].range.end));
}

/** The SQL statements of a script's here-documents. */
const statementsOf = (script: string) => script.split('\n').filter((line) => /^SELECT .*;$/.test(line));

function behaviourOf(dir: string, scripts: { side: 'pre' | 'post'; name: string; content: string }[]): EngineDiagnostic[] {
  const located = scripts.map((script) => {
    const localPath = path.join(dir, script.name);
    fs.writeFileSync(localPath, script.content, { mode: 0o700 });
    return { side: script.side, localPath };
  });
  return checkScriptsBehaviour(located, { fileSystem: nodeFileSystem, resolve: (vm) => path.join(dir, path.basename(vm)) });
}

const missingMariaDb = mariaDbMissing();

describe('LockReleasedAtOnce against a real MariaDB', { skip: missingMariaDb ? `MariaDB tests skipped: ${missingMariaDb}` : false }, () => {
  let dir: string;
  let db: MariaDb;

  /** A write from another session that gives up after one second of waiting for a lock. */
  const tryInsert = () => db.sql('SET SESSION lock_wait_timeout = 1; INSERT INTO t.x VALUES (1)');

  before(async () => {
    dir = tempDir('vmsnapshot-lockrules-');
    db = await startMariaDb(dir);
    const created = await db.sql('CREATE DATABASE t; CREATE TABLE t.x (a INT) ENGINE=InnoDB');
    assert.equal(created.status, 0, created.stderr);
  });

  after(async () => {
    for (const pid of processesMatching(dir)) {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('mariadbd')) process.kill(pid, 'SIGKILL');
    }
    await db?.stop();
    removeDir(dir);
  });

  it('a one-shot `mariadb -e "FLUSH TABLES WITH READ LOCK"` is flagged, exits 0, and does not block a write from another session', async () => {
    // The published sample's shape: lock in a one-shot client, status never checked, exit 0.
    const content = `mariadb -S ${dir}/mysqld.sock -e "FLUSH TABLES WITH READ LOCK;"\necho "lock status $?" >>${dir}/oneshot.log\nexit 0\n`;
    const found = behaviourOf(dir, [{ side: 'pre', name: 'oneshot-pre.sh', content }]);
    assert.deepEqual(found.filter((d) => d.code === 'LockReleasedAtOnce').map((d) => [d.severity, d.range.start.line]), [['error', 0]]);

    const pre = await runAsAgent(path.join(dir, 'oneshot-pre.sh'), []);
    assert.equal(pre.status, 0, pre.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'oneshot.log'), 'utf8'), 'lock status 0\n', 'the lock was taken');
    const write = await tryInsert();
    assert.equal(write.status, 0, `the one-shot lock still held: ${write.stderr}`);
  });

  it("the scaffold's held lock is clean for the rules and blocks a write until its post-script", async () => {
    const optionsFile = path.join(dir, 'mysql.cnf');
    fs.writeFileSync(optionsFile, `[client]\nuser=root\nsocket=${db.socket}\n`, { mode: 0o600 });
    const plan = planScaffold('mysql', {
      timeoutSeconds: 20,
      settings: { options_file: optionsFile, state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log/mysql.log') },
    });
    const scripts = plan.files.filter((file) => file.role === 'pre' || file.role === 'post').map((file) => ({ side: file.role as 'pre' | 'post', name: file.name, content: file.content }));
    const found = behaviourOf(dir, scripts);
    assert.deepEqual(found.filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.code} ${d.message}`), []);

    const pre = await runAsAgent(path.join(dir, 'mysql-pre.sh'), plan.preParams);
    assert.equal(pre.status, 0, readLog(dir, 'mysql'));
    const blocked = await tryInsert();
    assert.notEqual(blocked.status, 0, 'a write went through while the held lock should block it');
    assert.match(blocked.stderr, /Lock wait timeout exceeded/);

    const post = await runAsAgent(path.join(dir, 'mysql-post.sh'), plan.postParams);
    assert.equal(post.status, 0, readLog(dir, 'mysql'));
    const write = await tryInsert();
    assert.equal(write.status, 0, write.stderr);
  });
});

const missingPostgres = postgresMissing();

describe('LockReleasedAtOnce and RemovedApi against a real PostgreSQL', { skip: missingPostgres ? `PostgreSQL tests skipped: ${missingPostgres}` : false }, () => {
  let dir: string;
  let pg: Postgres;

  before(async () => {
    dir = tempDir('vmsnapshot-lockrules-pg-');
    pg = await startPostgres(dir);
  });

  after(async () => {
    await pg?.stop();
    removeDir(dir);
  });

  it('the RemovedApi quick fix gives calls that PostgreSQL 15 runs, as a pair in one held session; the old calls fail there', async (t) => {
    if (pg.version < 15) return t.skip(`PostgreSQL ${pg.version} still has pg_start_backup`);
    const session = (statements: string[]) => {
      const file = path.join(dir, 'session.sql');
      fs.writeFileSync(file, `${statements.join('\n')}\n`);
      return runClient('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-U', 'postgres', '-d', 'postgres', '-f', file]);
    };
    const old = await session([...statementsOf(HELD_PG_PRE), ...statementsOf(HELD_PG_POST)]);
    assert.notEqual(old.status, 0);
    assert.match(old.stderr, /function pg_start_backup\(unknown, boolean, boolean\) does not exist/);

    const fixed = [...statementsOf(withRemovedApiFixed(HELD_PG_PRE)), ...statementsOf(withRemovedApiFixed(HELD_PG_POST))];
    assert.deepEqual(fixed, ["SELECT pg_backup_start('nightly', true);", 'SELECT * FROM pg_backup_stop(true);']);
    const ran = await session(fixed);
    assert.equal(ran.status, 0, ran.stderr);
    // The stop returned the backup label of the backup that the start began, in the same session.
    assert.match(ran.stdout, /START WAL LOCATION: [0-9A-F]+\/[0-9A-F]+/);
    assert.match(ran.stdout, /LABEL: nightly/);
  });

  it('a one-shot psql pg_backup_start is flagged, and PostgreSQL aborts that backup as the client exits', async (t) => {
    if (pg.version < 15) return t.skip(`PostgreSQL ${pg.version} has no pg_backup_start`);
    const content = `psql -X -h ${dir} -U postgres -d postgres -c "SELECT pg_backup_start('vmsnapshot', true)" >/dev/null\nexit 0\n`;
    const found = behaviourOf(dir, [{ side: 'pre', name: 'oneshot-pre.sh', content }]);
    assert.deepEqual(found.filter((d) => d.code === 'LockReleasedAtOnce').map((d) => [d.severity, d.range.start.line]), [['error', 0]]);

    const pre = await runAsAgent(path.join(dir, 'oneshot-pre.sh'), []);
    assert.equal(pre.status, 0, pre.stderr);
    // The backup belonged to the session that ended: PostgreSQL says it aborted it.
    const log = fs.readFileSync(pg.logFile, 'utf8');
    assert.match(log, /aborting backup due to backend exiting before pg_backup_stop was called/);
    // And a stop in a new session (what a post-script would do) finds no backup in progress.
    const stop = await pg.sql('SELECT pg_backup_stop()');
    assert.notEqual(stop.status, 0);
    assert.match(stop.stderr, /backup is not in progress/);
  });
});
