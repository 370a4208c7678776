// The scaffolded MySQL/MariaDB scripts against a real MariaDB from Debian's packages: deployed
// with install.sh, run as the agent runs them, the database is really quiesced between pre and
// post, writable after, and never left locked by a lost post-script or a killed pre-script. The
// restore drill copies the data folder in the snapshot window, as the agent's freeze holds it,
// and restores the copy into a new server the way the README's "Restoring" section says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { planScaffold, writeScaffold } from '../../server/src/engine/scaffold';
import { configParams, processesMatching, readLog, removeDir, runAsAgent, sleep, startAsAgent, tempDir, waitFor } from '../unit/scaffoldTestSupport';
import { copyWhileStopped, mariaDbMissing, MariaDb, startMariaDb, TransferWriter } from './dbSupport';

const LOCK_SECONDS = 6;
const missing = mariaDbMissing();

describe('MySQL/MariaDB scaffold against a real MariaDB', { skip: missing ? `MariaDB tests skipped: ${missing}` : false }, () => {
  let dir: string;
  let db: MariaDb;
  let root: string;
  let rows = 0;

  /** The deployed scripts, with the parameters of the deployed config. */
  const script = (side: 'pre' | 'post') => {
    const { script: location, params } = configParams(path.join(root, 'etc/azure'), side);
    return { file: path.join(root, location), params };
  };
  const run = (side: 'pre' | 'post', extra: string[] = []) => runAsAgent(script(side).file, [...script(side).params, ...extra]);
  /** A write from another session that gives up after one second of waiting for a lock. */
  const tryInsert = () => db.sql('SET SESSION lock_wait_timeout = 1; INSERT INTO t.x VALUES (1)');
  const count = async () => Number((await db.sql('SELECT COUNT(*) FROM t.x')).stdout);
  const assertWritable = async () => {
    const before = await count();
    const insert = await tryInsert();
    assert.equal(insert.status, 0, `insert refused: ${insert.stderr}`);
    assert.equal(await count(), before + 1);
  };
  const assertLocked = async () => {
    const insert = await tryInsert();
    assert.notEqual(insert.status, 0, 'a write went through while the database should be quiesced');
    assert.match(insert.stderr, /Lock wait timeout exceeded/);
  };

  before(async () => {
    dir = tempDir('vmsnapshot-mariadb-');
    db = await startMariaDb(dir);
    const created = await db.sql('CREATE DATABASE t; CREATE TABLE t.x (a INT) ENGINE=InnoDB; CREATE TABLE t.m (a INT) ENGINE=MyISAM');
    assert.equal(created.status, 0, created.stderr);
    // The newcomer's way: scaffold, edit the options file, deploy with install.sh as root.
    const optionsFile = path.join(dir, 'mysql.cnf');
    const plan = planScaffold('mysql', {
      timeoutSeconds: LOCK_SECONDS,
      settings: { options_file: optionsFile, state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log/mysql.log') },
    });
    const out = path.join(dir, 'out');
    await writeScaffold(plan, out);
    fs.writeFileSync(path.join(out, 'mysql.cnf'), `[client]\nuser=root\nsocket=${db.socket}\n`);
    root = path.join(dir, 'root');
    const install = spawnSync('sh', [path.join(out, 'install.sh'), root], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    // The options file is where the config says, outside the root folder: put it there, root-only.
    fs.copyFileSync(path.join(root, optionsFile), optionsFile);
    fs.chmodSync(optionsFile, 0o600);
  });

  after(async () => {
    // Never leave a lock holder or the server behind.
    for (const pid of processesMatching(dir)) {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('mariadbd')) process.kill(pid, 'SIGKILL');
    }
    await db?.stop();
    assert.deepEqual(processesMatching(dir), [], 'no process of the test is left');
    removeDir(dir);
  });

  it('the deployed config checks clean, with the modes the agent demands', () => {
    const configPath = path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json');
    const errors = analyzeConfigFile(configPath, { root }).diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    assert.deepEqual(errors, []);
    assert.equal(fs.statSync(configPath).mode & 0o777, 0o600);
    assert.equal(fs.statSync(script('pre').file).mode & 0o777, 0o700);
  });

  it('pre quiesces: a write blocks until the post-script, then goes through; writes work after', async () => {
    await assertWritable();
    const pre = await run('pre');
    assert.equal(pre.status, 0, readLog(dir, 'mysql'));
    assert.equal(pre.stdout + pre.stderr, '', 'nothing on the agent\'s pipes');
    await assertLocked();
    assert.notEqual((await db.sql('SET SESSION lock_wait_timeout = 1; INSERT INTO t.m VALUES (1)')).status, 0, 'MyISAM is locked too');

    // A writer that waits without a short timeout: it must still be waiting while the lock holds.
    rows = await count();
    const waiting = db.sql('INSERT INTO t.x VALUES (2)');
    let finished = false;
    void waiting.then(() => (finished = true));
    await sleep(1500);
    assert.equal(finished, false, 'the write waits for the lock');

    const post = await run('post');
    assert.equal(post.status, 0, readLog(dir, 'mysql'));
    assert.equal(post.stdout + post.stderr, '');
    const write = await waiting;
    assert.equal(write.status, 0, write.stderr);
    assert.equal(await count(), rows + 1, 'the blocked write went through after the post-script');
    await assertWritable();
    assert.match(readLog(dir, 'mysql'), /quiesced: session [0-9]+ holds FLUSH TABLES WITH READ LOCK/);
    assert.match(readLog(dir, 'mysql'), /resumed/);
  });

  it('the restore drill: the copy taken in the window restores with every row acknowledged before the lock and none after', async () => {
    assert.equal((await db.sql(TransferWriter.setupSql('mysql'))).status, 0);
    const writer = new TransferWriter('mariadb', ['-S', db.socket, '--batch', '--skip-column-names', '--unbuffered'], 'mysql');
    const restoreDir = path.join(dir, 'restore');
    let restored: MariaDb | undefined;
    try {
      assert.ok(await waitFor(() => writer.acked.size >= 20, 10_000), 'the writer runs');
      const pre = await run('pre');
      const preEnd = Date.now();
      assert.equal(pre.status, 0, readLog(dir, 'mysql'));
      await sleep(1000);
      assert.deepEqual([...writer.acked.values()].filter((at) => at > preEnd + 50), [], 'no write is acknowledged while the lock holds');
      fs.mkdirSync(restoreDir);
      const copyTime = Date.now();
      copyWhileStopped(db.pids(), [[db.dataDir, path.join(restoreDir, 'data')]]);
      await sleep(500);
      const postStart = Date.now();
      const post = await run('post');
      assert.equal(post.status, 0, readLog(dir, 'mysql'));
      assert.ok(await waitFor(() => writer.ackedBefore(Infinity).some((n) => (writer.acked.get(n) ?? 0) > postStart), 10_000), 'writes go on after the post-script');
      await writer.stop();

      // README, Restoring, MySQL/MariaDB: put the snapshot's data folder back and start the server.
      restored = await startMariaDb(restoreDir, true);
      const check = await restored.sql('CHECK TABLE t.acked, t.account, t.counter');
      assert.equal(check.status, 0, check.stderr);
      assert.doesNotMatch(check.stdout, /error|corrupt/i);
      const [sum, counter, rows] = (await restored.sql(TransferWriter.checkSql('mysql'))).stdout.split('\t').map(Number);
      assert.equal(sum, 1000, 'the transfers\' invariant holds');
      assert.equal(counter, rows, 'no transaction is half there');
      const inCopy = new Set((await restored.sql('SELECT n FROM t.acked')).stdout.split('\n').map(Number));
      for (const n of writer.ackedBefore(copyTime)) assert.ok(inCopy.has(n), `row ${n}, acknowledged before the snapshot, is restored`);
      const late = [...inCopy].filter((n) => !writer.ackedBefore(postStart).includes(n));
      assert.deepEqual(late, [], 'no row acknowledged after the lock is in the copy');
    } finally {
      await writer.stop().catch(() => undefined);
      await restored?.stop();
    }
  });

  it('the post-script fails when the server\'s max_statement_time killed the lock session', async () => {
    assert.equal((await db.sql('SET GLOBAL max_statement_time = 2')).status, 0);
    try {
      const pre = await run('pre');
      assert.equal(pre.status, 0, readLog(dir, 'mysql'));
      // Until the server has ended the lock session (2 s into its statement), polled rather than a
      // fixed pause that a loaded machine can outrun.
      assert.ok(await waitFor(async () => (await tryInsert()).status === 0, 15_000, 200), 'the server ended the lock session');
      await assertWritable();
      const post = await run('post');
      assert.equal(post.status, 1);
      assert.match(readLog(dir, 'mysql'), /FAILED: the lock ended before the post-script: the server's max_statement_time ended the lock session/);
    } finally {
      await db.sql('SET GLOBAL max_statement_time = 0');
    }
  });

  it('a lost post-script: the lock ends by itself after lock_seconds', async () => {
    const pre = await run('pre', [`lock_seconds=${LOCK_SECONDS}`]);
    const started = Date.now();
    assert.equal(pre.status, 0, readLog(dir, 'mysql'));
    await assertLocked();
    // Released no earlier than lock_seconds minus the tries' own second, and soon after it.
    let writableAfter = -1;
    while (Date.now() - started < (LOCK_SECONDS + 6) * 1000) {
      if ((await tryInsert()).status === 0) {
        writableAfter = (Date.now() - started) / 1000;
        break;
      }
    }
    assert.ok(writableAfter >= LOCK_SECONDS - 2, `writable too early: ${writableAfter}s`);
    assert.ok(writableAfter > 0 && writableAfter <= LOCK_SECONDS + 5, `not writable after ${LOCK_SECONDS + 6}s`);
    const post = await run('post');
    assert.equal(post.status, 1, 'the lock ended before the snapshot could be taken: not application-consistent');
    assert.match(readLog(dir, 'mysql'), /FAILED: the lock ended before the post-script: its bound, the pre-script's lock_seconds, ran out/);
    await assertWritable();
    assert.equal((await run('post')).status, 0, 'reported once; then nothing is left to undo');
  });

  it('a pre-script killed half-way, then the post-script: the database is writable', async () => {
    const holderPid = path.join(dir, 'state/holder.pid');
    fs.rmSync(holderPid, { force: true });
    // A session holding a table keeps FLUSH TABLES WITH READ LOCK waiting, so the pre-script is
    // surely killed before it sees the lock.
    const blocker = db.sql('LOCK TABLES t.x WRITE; SELECT SLEEP(3)');
    await sleep(300);
    const pre = startAsAgent(script('pre').file, script('pre').params);
    assert.ok(await waitFor(() => fs.existsSync(holderPid), 10_000), 'the lock holder started');
    pre.kill('SIGKILL');
    await blocker;
    // The orphaned holder still takes the lock: that is the case the post-script must undo.
    assert.ok(await waitFor(() => /vmsnapshot-locked/.test(fs.readFileSync(path.join(dir, 'state/holder.out'), 'utf8')), 10_000));
    await assertLocked();
    const post = await run('post');
    assert.equal(post.status, 1, 'the pre-script never reported the lock: nothing to claim');
    assert.match(readLog(dir, 'mysql'), /FAILED: the pre-script did not take the lock/);
    await assertWritable();
  });

  it('a post-script without any pre-script succeeds and changes nothing, even with the server unreachable', async () => {
    const post = await run('post');
    assert.equal(post.status, 0, readLog(dir, 'mysql'));
    await assertWritable();
    const unreachable = path.join(dir, 'nowhere.cnf');
    fs.writeFileSync(unreachable, `[client]\nuser=root\nsocket=${dir}/no.sock\n`, { mode: 0o600 });
    const lonely = await run('post', [`options_file=${unreachable}`]);
    assert.equal(lonely.status, 0, readLog(dir, 'mysql'));
    assert.match(readLog(dir, 'mysql'), /done: nothing to undo/);
  });

  it('a pre-script that cannot log in fails, and leaves nothing locked', async () => {
    const { file, params } = script('pre');
    const badOptions = path.join(dir, 'bad.cnf');
    fs.writeFileSync(badOptions, `[client]\nuser=nobody\nsocket=${db.socket}\n`, { mode: 0o600 });
    const pre = await runAsAgent(file, [...params.filter((param) => !param.startsWith('options_file=')), `options_file=${badOptions}`]);
    assert.equal(pre.status, 1);
    assert.match(readLog(dir, 'mysql'), /Access denied for user 'nobody'/, 'the log names the real error');
    assert.match(readLog(dir, 'mysql'), /FAILED: cannot connect with /);
    assert.equal((await run('post')).status, 0, 'the pre-script cleaned up: nothing to undo');
    await assertWritable();
    const lax = path.join(dir, 'lax.cnf');
    fs.writeFileSync(lax, `[client]\nuser=root\nsocket=${db.socket}\n`, { mode: 0o644 });
    const refused = await runAsAgent(file, [...params.filter((param) => !param.startsWith('options_file=')), `options_file=${lax}`]);
    assert.equal(refused.status, 1, 'an options file others can read is refused');
    assert.match(readLog(dir, 'mysql'), /must be owned by root with mode 600/);
  });
});
