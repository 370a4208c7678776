// The scaffolded PostgreSQL scripts against a real PostgreSQL (15 from Debian's packages). The
// default scripts rely on the agent's freeze: the pre-script checks that data and WAL are on
// frozen file systems and runs a CHECKPOINT; writes go on (the scripts never claim otherwise).
// The restore drills copy the data folder with the server's processes stopped, as the freeze
// holds them, and restore the copy by the README's "Restoring" notes: plain crash recovery, and
// with WAL archiving and backup_mode=on, the saved label with restore_command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { planScaffold, writeScaffold } from '../../server/src/engine/scaffold';
import { configParams, processesMatching, readLog, removeDir, runAsAgent, sleep, startAsAgent, tempDir, waitFor } from '../unit/scaffoldTestSupport';
import { copyWhileStopped, Postgres, postgresMissing, startPostgres, TransferWriter } from './dbSupport';

const missing = postgresMissing();

/** The shell block of the README that follows `<!-- restore:NAME -->`, run as written. */
function readmeBlock(name: string): string {
  const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
  const match = new RegExp(`<!-- restore:${name} -->\\s*\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(match, `README has a restore:${name} block`);
  return match[1];
}

function frozenHere(dir: string): string | undefined {
  const found = spawnSync('findmnt', ['-n', '-r', '-o', 'FSTYPE,SOURCE', '-T', dir], { encoding: 'utf8' }).stdout.trim().split(' ');
  return ['ext3', 'ext4', 'xfs', 'btrfs'].includes(found[0]) && /^\/dev\/(?!loop)/.test(found[1] ?? '') ? undefined : `${dir} is on ${found.join(' ')}, which the agent would not freeze`;
}

interface Bench {
  dir: string;
  db: Postgres;
  labelDir: string;
  run(side: 'pre' | 'post', extra?: string[]): ReturnType<typeof runAsAgent>;
  script(side: 'pre' | 'post'): { file: string; params: string[] };
  holdSessions(): Promise<string[]>;
  log(): string;
}

async function bench(prefix: string, settings: Record<string, string> = {}): Promise<Bench> {
  const dir = tempDir(prefix);
  const db = await startPostgres(dir, { settings });
  const serviceFile = path.join(dir, 'pg_service.conf');
  const labelDir = path.join(dir, 'labels');
  const plan = planScaffold('postgresql', {
    timeoutSeconds: 12,
    settings: { service_file: serviceFile, state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log/postgresql.log'), label_dir: labelDir },
  });
  const out = path.join(dir, 'out');
  await writeScaffold(plan, out);
  const root = path.join(dir, 'root');
  const install = spawnSync('sh', [path.join(out, 'install.sh'), root], { encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);
  // The service file the newcomer edits: this server's socket folder, root-only.
  fs.writeFileSync(serviceFile, `[vmsnapshot]\nhost=${db.socketDir}\nuser=postgres\ndbname=postgres\n`, { mode: 0o600 });
  const script = (side: 'pre' | 'post') => {
    const { script: location, params } = configParams(path.join(root, 'etc/azure'), side);
    return { file: path.join(root, location), params };
  };
  return {
    dir,
    db,
    labelDir,
    script,
    run: (side, extra = []) => runAsAgent(script(side).file, [...script(side).params, ...extra]),
    holdSessions: async () => (await db.sql("SELECT pid FROM pg_stat_activity WHERE application_name = 'vmsnapshot-hold'")).stdout.split('\n').filter(Boolean),
    log: () => readLog(dir, 'postgresql'),
  };
}

async function cleanup(b: Bench | undefined): Promise<void> {
  if (!b) return;
  for (const pid of processesMatching(path.join(b.dir, 'state'))) process.kill(pid, 'SIGKILL');
  await b.db.stop();
  assert.deepEqual(processesMatching(b.dir), [], 'no process of the test is left');
  removeDir(b.dir);
}

/** The restored copy: starts, keeps the invariant, and holds every row acknowledged before `time`. */
async function assertRestored(restored: Postgres, writer: TransferWriter, time: number): Promise<void> {
  const [sum, counter, rows] = (await restored.sql(TransferWriter.checkSql('postgres'))).stdout.split('|').map(Number);
  assert.equal(sum, 1000, 'the transfers\' invariant holds');
  assert.equal(counter, rows, 'no transaction is half there');
  const inCopy = new Set((await restored.sql('SELECT n FROM acked')).stdout.split('\n').map(Number));
  const before = writer.ackedBefore(time);
  assert.ok(before.length > 20);
  for (const n of before) assert.ok(inCopy.has(n), `row ${n}, acknowledged before the snapshot, is restored`);
}

/**
 * Runs the writer, the pre-script, a copy in the window and the post-script; returns the copy's
 * folder and the time the copy began.
 */
async function snapshotUnderLoad(b: Bench, writer: TransferWriter, preExtra: string[]): Promise<{ restoreDir: string; copyTime: number }> {
  assert.ok(await waitFor(() => writer.acked.size >= 20, 10_000), 'the writer runs');
  const pre = await b.run('pre', preExtra);
  assert.equal(pre.status, 0, b.log());
  assert.equal(pre.stdout + pre.stderr, '', 'nothing on the agent\'s pipes');
  const preEnd = Date.now();
  // The scripts do not claim to stop writes, and they do not: the freeze holds them.
  assert.ok(await waitFor(() => [...writer.acked.values()].some((at) => at > preEnd + 100), 5000), 'writes go on after the pre-script');
  const restoreDir = path.join(b.dir, 'restore');
  fs.mkdirSync(path.join(restoreDir, 'snapshot'), { recursive: true });
  const copyTime = Date.now();
  const copies: Array<[string, string]> = [[b.db.dataDir, path.join(restoreDir, 'data')]];
  if (fs.existsSync(b.labelDir)) copies.push([b.labelDir, path.join(restoreDir, 'snapshot', 'labels')]);
  copyWhileStopped(b.db.pids(), copies);
  await sleep(300);
  const post = await b.run('post');
  assert.equal(post.status, 0, b.log());
  assert.equal(post.stdout + post.stderr, '');
  await writer.stop();
  // Only a drill shares the machine with the original: its postmaster.pid names a live process.
  fs.rmSync(path.join(restoreDir, 'data', 'postmaster.pid'));
  return { restoreDir, copyTime };
}

function startWriter(db: Postgres): TransferWriter {
  return new TransferWriter('psql', ['-X', '-q', '-A', '-t', '-h', db.socketDir, '-U', 'postgres', '-d', 'postgres'], 'postgres');
}

describe('PostgreSQL scaffold against a real PostgreSQL', { skip: missing ? `PostgreSQL tests skipped: ${missing}` : frozenHere(os.tmpdir()) ?? false }, () => {
  describe('without WAL archiving', () => {
    let b: Bench;
    before(async () => {
      b = await bench('vmsnapshot-pg-');
      assert.equal((await b.db.sql(TransferWriter.setupSql('postgres'))).status, 0);
    });
    after(() => cleanup(b));

    it('the deployed config checks clean', () => {
      const configPath = path.join(b.dir, 'root/etc/azure/VMSnapshotScriptPluginConfig.json');
      assert.deepEqual(analyzeConfigFile(configPath, { root: path.join(b.dir, 'root') }).diagnostics.filter((diagnostic) => diagnostic.severity !== 'hint'), []);
    });

    it('the restore drill: crash recovery of the copy, as the README says, holds every acknowledged row', async () => {
      const writer = startWriter(b.db);
      let restored: Postgres | undefined;
      try {
        const { restoreDir, copyTime } = await snapshotUnderLoad(b, writer, []);
        assert.match(b.log(), /ready: CHECKPOINT done; data, WAL and tablespaces are on file systems the agent freezes \(\/\)/);
        assert.match(b.log(), /done: nothing to undo; the CHECKPOINT was done and the agent's freeze held the writes/);
        assert.equal(readmeBlock('postgresql-crash').trim().split('\n').filter((line) => !line.startsWith('#')).length, 0, 'nothing to do but start');
        restored = await startPostgres(restoreDir, { existingData: true });
        assert.match(fs.readFileSync(restored.logFile, 'utf8'), /database system was interrupted|redo starts at/, 'recovered like after a crash');
        await assertRestored(restored, writer, copyTime);
      } finally {
        await writer.stop();
        await restored?.stop();
      }
    });

    it('backup_mode=on without WAL archiving is refused by the pre-script, and the post-script has nothing to undo', async () => {
      const pre = await b.run('pre', ['backup_mode=on']);
      assert.equal(pre.status, 1);
      assert.match(b.log(), /FAILED: backup_mode=on needs WAL archiving/);
      assert.deepEqual(await b.holdSessions(), []);
      assert.equal((await b.run('post')).status, 0);
    });

    it('a tablespace on a file system the agent never freezes fails the pre-script', { skip: fs.existsSync('/dev/shm') ? false : 'no /dev/shm' }, async () => {
      const shm = fs.mkdtempSync('/dev/shm/vmsnapshot-ts-');
      try {
        spawnSync('chown', ['postgres', shm]);
        assert.equal((await b.db.sql(`CREATE TABLESPACE scratch LOCATION '${shm}'`)).status, 0);
        const pre = await b.run('pre');
        assert.equal(pre.status, 1);
        assert.match(b.log(), new RegExp(`${shm} is on /dev/shm \\(tmpfs\\), which the agent never freezes`));
        assert.match(b.log(), /FAILED: part of the cluster is on a file system the agent does not freeze/);
        assert.equal((await b.run('post')).status, 0, 'nothing to undo');
      } finally {
        await b.db.sql('DROP TABLESPACE IF EXISTS scratch');
        removeDir(shm);
      }
    });

    it('a post-script without any pre-script succeeds, even with the server unreachable', async () => {
      assert.equal((await b.run('post')).status, 0, b.log());
      const nowhere = path.join(b.dir, 'nowhere.conf');
      fs.writeFileSync(nowhere, `[vmsnapshot]\nhost=${b.dir}/none\nuser=postgres\n`, { mode: 0o600 });
      assert.equal((await b.run('post', [`service_file=${nowhere}`])).status, 0, b.log());
      const pre = await b.run('pre', [`service_file=${nowhere}`]);
      assert.equal(pre.status, 1);
      assert.match(b.log(), /psql: .*(No such file or directory|could not connect)/, 'the log names the real error');
    });
  });

  describe('with WAL archiving and backup_mode=on', () => {
    let b: Bench;
    let archive: string;
    before(async () => {
      const parent = tempDir('vmsnapshot-pgarchive-');
      archive = path.join(parent, 'archive');
      fs.mkdirSync(archive);
      spawnSync('chown', ['-R', 'postgres', parent]);
      fs.chmodSync(parent, 0o755);
      b = await bench('vmsnapshot-pga-', { archive_mode: 'on', archive_command: `'cp %p ${archive}/%f'` });
      assert.equal((await b.db.sql(TransferWriter.setupSql('postgres'))).status, 0);
    });
    after(async () => {
      await cleanup(b);
      removeDir(path.dirname(archive));
    });

    it('the restore drill: the README\'s label + restore_command restore holds every acknowledged row', async () => {
      const writer = startWriter(b.db);
      let restored: Postgres | undefined;
      try {
        const { restoreDir, copyTime } = await snapshotUnderLoad(b, writer, ['backup_mode=on']);
        assert.match(b.log(), /ready: backup mode on from WAL location [0-9A-F]+\/[0-9A-F]+/);
        assert.match(b.log(), /backup label saved as /);
        assert.match(b.log(), /the archive holds the WAL up to the backup's end/);
        assert.deepEqual(await b.holdSessions(), [], 'backup mode is off');
        const data = path.join(restoreDir, 'data');
        assert.equal(fs.existsSync(path.join(data, 'backup_label')), false, 'no label inside the snapshot');
        // The README's steps, as written: the label from a later copy of label_dir (here the live one).
        const steps = spawnSync('sh', ['-eu', '-c', readmeBlock('postgresql-archive')], {
          encoding: 'utf8',
          env: { ...process.env, PGDATA: data, RESTORED_LABEL_DIR: path.join(restoreDir, 'snapshot', 'labels'), LABELS: b.labelDir, ARCHIVE: archive },
        });
        assert.equal(steps.status, 0, steps.stderr);
        restored = await startPostgres(restoreDir, { existingData: true, settings: { archive_mode: 'off' } });
        const log = fs.readFileSync(restored.logFile, 'utf8');
        assert.match(log, /starting backup recovery with redo LSN/, 'recovery starts from the label');
        assert.match(log, /restored log file "[0-9A-F]+" from archive/, 'WAL comes from the archive');
        assert.match(log, /consistent recovery state reached/);
        await assertRestored(restored, writer, copyTime);
      } finally {
        await writer.stop();
        await restored?.stop();
      }
    });

    it('the post-script fails when backup mode ended before it (the bound ran out)', async () => {
      // Waited out by watching the session, not by a fixed pause: a loaded machine can spend most of
      // a short bound inside the pre-script itself.
      const pre = await b.run('pre', ['backup_mode=on', 'lock_seconds=6']);
      assert.equal(pre.status, 0, b.log());
      await waitFor(async () => (await b.holdSessions()).length === 0, 15_000, 200);
      assert.deepEqual(await b.holdSessions(), [], 'the backup session ended by itself');
      const post = await b.run('post');
      assert.equal(post.status, 1);
      assert.match(b.log(), /FAILED: backup mode ended before the post-script/);
      assert.equal((await b.run('post')).status, 0, 'reported once; then nothing to undo');
    });

    it('a pre-script killed half-way: the post-script ends the backup session and reports the failure', async () => {
      const feeder = path.join(b.dir, 'state/feeder.pid');
      fs.rmSync(feeder, { force: true });
      const pre = startAsAgent(b.script('pre').file, [...b.script('pre').params, 'backup_mode=on']);
      assert.ok(await waitFor(() => fs.existsSync(feeder), 10_000));
      pre.kill('SIGKILL');
      const post = await b.run('post');
      assert.equal(post.status, 1, b.log());
      assert.match(b.log(), /FAILED: the pre-script did not start backup mode/);
      assert.deepEqual(await b.holdSessions(), []);
    });
  });
});
