// The scaffolded PostgreSQL scripts against a real PostgreSQL (15 from Debian's packages, where
// the exclusive pg_start_backup no longer exists): backup mode is on between pre and post, held
// by one session, the label is kept, and a lost post-script or a killed pre-script never leaves
// a backup session behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { planScaffold, writeScaffold } from '../../server/src/engine/scaffold';
import { configParams, processesMatching, readLog, removeDir, runAsAgent, sleep, startAsAgent, tempDir, waitFor } from '../unit/scaffoldTestSupport';
import { Postgres, postgresMissing, startPostgres } from './dbSupport';

const LOCK_SECONDS = 5;
const missing = postgresMissing();

describe('PostgreSQL scaffold against a real PostgreSQL', { skip: missing ? `PostgreSQL tests skipped: ${missing}` : false }, () => {
  let dir: string;
  let db: Postgres;
  let root: string;
  let labelDir: string;

  const script = (side: 'pre' | 'post') => {
    const { script: location, params } = configParams(path.join(root, 'etc/azure'), side);
    return { file: path.join(root, location), params };
  };
  const run = (side: 'pre' | 'post') => runAsAgent(script(side).file, script(side).params);
  const holdSessions = async () => (await db.sql("SELECT pid || ' ' || state || ' ' || query FROM pg_stat_activity WHERE application_name = 'vmsnapshot-hold'")).stdout.split('\n').filter(Boolean);
  const assertWritable = async () => {
    const insert = await db.sql('INSERT INTO x VALUES (1)');
    assert.equal(insert.status, 0, insert.stderr);
  };

  before(async () => {
    dir = tempDir('vmsnapshot-pg-');
    db = await startPostgres(dir);
    assert.equal((await db.sql('CREATE TABLE x (a int)')).status, 0);
    const serviceFile = path.join(dir, 'pg_service.conf');
    labelDir = path.join(dir, 'labels');
    const plan = planScaffold('postgresql', {
      timeoutSeconds: LOCK_SECONDS,
      settings: { service_file: serviceFile, state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log/postgresql.log'), label_dir: labelDir },
    });
    const out = path.join(dir, 'out');
    await writeScaffold(plan, out);
    root = path.join(dir, 'root');
    const install = spawnSync('sh', [path.join(out, 'install.sh'), root], { encoding: 'utf8' });
    assert.equal(install.status, 0, install.stderr);
    // The service file the newcomer edits: this server's socket folder, root-only.
    fs.writeFileSync(serviceFile, `[vmsnapshot]\nhost=${db.socketDir}\nuser=postgres\ndbname=postgres\n`, { mode: 0o600 });
  });

  after(async () => {
    for (const pid of processesMatching(path.join(dir, 'state'))) process.kill(pid, 'SIGKILL');
    await db?.stop();
    assert.deepEqual(processesMatching(dir), [], 'no process of the test is left');
    removeDir(dir);
  });

  it('the deployed config checks clean', () => {
    const configPath = path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json');
    assert.deepEqual(analyzeConfigFile(configPath, { root }).diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  });

  it('pre turns backup mode on in a held session; post stops it, keeps the label, and writes go on', async () => {
    if (db.version >= 15) {
      assert.equal((await db.sql("SELECT to_regproc('pg_start_backup') IS NULL")).stdout, 't', 'the exclusive API is gone in 15+');
    }
    const pre = await run('pre');
    assert.equal(pre.status, 0, readLog(dir, 'postgresql'));
    assert.equal(pre.stdout + pre.stderr, '', 'nothing on the agent\'s pipes');
    const lsn = fs.readFileSync(path.join(dir, 'state/start.lsn'), 'utf8').trim();
    assert.match(lsn, /^[0-9A-F]+\/[0-9A-F]+$/);
    const sessions = await holdSessions();
    assert.equal(sessions.length, 1, 'one session holds the backup');
    assert.match(sessions[0], /^[0-9]+ idle SELECT pg_(backup_start|start_backup)\('vmsnapshot'/);
    // In backup mode, a second backup in another session still works (non-exclusive), and
    // writes are not blocked: PostgreSQL's quiescing is the backup mode, not a lock.
    await assertWritable();

    const post = await run('post');
    assert.equal(post.status, 0, readLog(dir, 'postgresql'));
    assert.equal(post.stdout + post.stderr, '');
    assert.deepEqual(await holdSessions(), [], 'backup mode is off');
    const labels = fs.readdirSync(labelDir).filter((name) => name.startsWith('backup_label.'));
    assert.equal(labels.length, 1);
    const label = fs.readFileSync(path.join(labelDir, labels[0]), 'utf8');
    assert.match(label, new RegExp(`^START WAL LOCATION: ${lsn.replace('/', '\\/')} `, 'm'), 'the label belongs to the backup the pre-script started');
    assert.match(label, /^LABEL: vmsnapshot$/m);
    assert.equal(fs.statSync(path.join(labelDir, labels[0])).mode & 0o777, 0o600);
    await assertWritable();
  });

  it('a lost post-script: the backup session ends by itself after the timeout', async () => {
    const pre = await run('pre');
    const started = Date.now();
    assert.equal(pre.status, 0, readLog(dir, 'postgresql'));
    assert.equal((await holdSessions()).length, 1);
    await sleep((LOCK_SECONDS - 2) * 1000);
    assert.equal((await holdSessions()).length, 1, 'still held before lock_seconds');
    let gone = false;
    while (!gone && Date.now() - started < (LOCK_SECONDS + 8) * 1000) gone = (await holdSessions()).length === 0;
    assert.ok(gone, 'the backup session ended by itself');
    assert.match(fs.readFileSync(db.logFile, 'utf8'), /aborting backup due to backend exiting before pg_(backup|stop)_stop/);
    const post = await run('post');
    assert.equal(post.status, 0, 'a late post-script finds nothing to undo');
    await assertWritable();
  });

  it('a pre-script killed half-way, then the post-script: no backup session is left', async () => {
    const feeder = path.join(dir, 'state/feeder.pid');
    fs.rmSync(feeder, { force: true });
    const pre = startAsAgent(script('pre').file, script('pre').params);
    assert.ok(await waitFor(() => fs.existsSync(feeder), 10_000));
    pre.kill('SIGKILL');
    assert.ok(await waitFor(() => fs.existsSync(path.join(dir, 'state/start.lsn')) && fs.readFileSync(path.join(dir, 'state/start.lsn'), 'utf8').includes('/'), 10_000), 'the orphaned session started the backup');
    assert.equal((await holdSessions()).length, 1);
    const post = await run('post');
    assert.equal(post.status, 0, readLog(dir, 'postgresql'));
    assert.deepEqual(await holdSessions(), []);
    await assertWritable();
  });

  it('a post-script without any pre-script succeeds', async () => {
    const post = await run('post');
    assert.equal(post.status, 0, readLog(dir, 'postgresql'));
    assert.match(readLog(dir, 'postgresql'), /no backup session of the pre-script is running/);
  });
});
