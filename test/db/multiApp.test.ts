// Several applications on one VM share the one pre- and post-script the agent runs: MariaDB and a
// systemd unit (a stand-in systemctl on PATH, as in test/unit/scaffoldStandIns). The same restore
// drill as for MariaDB alone, a failure in the second part that resumes the first, and the systemd
// template with fsFreezeEnabled false (no stop during the copy): its unit is MariaDB itself, shut
// down by the pre-script and started again by the post-script.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { planScaffold, ScaffoldParams, writeScaffold } from '../../server/src/engine/scaffold';
import { configParams, processesMatching, readLog, removeDir, runAsAgent, sleep, tempDir, waitFor } from '../unit/scaffoldTestSupport';
import { copyWhileStopped, mariaDbMissing, MariaDb, startMariaDb, TransferWriter } from './dbSupport';

/**
 * Stand-in for systemctl: a unit runs `$STANDIN/<unit>.run` in the background (its pid in
 * <unit>.pid); stop sends SIGTERM and waits until the process is gone, as systemd does.
 */
const SYSTEMCTL = `#!/bin/sh
printf 'systemctl %s\\n' "$*" >>"$STANDIN/calls"
[ "$1" = is-active ] && [ "$2" = --quiet ] && set -- "$1" "$3"
unit=$2
alive() { [ -f "$STANDIN/$unit.pid" ] && kill -0 "$(cat "$STANDIN/$unit.pid")" 2>/dev/null; }
case $1 in
  is-active) alive ;;
  stop)
    [ -e "$STANDIN/$unit.fail" ] && exit 1
    if alive; then
      pid=$(cat "$STANDIN/$unit.pid")
      kill "$pid"
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    ;;
  start)
    alive && exit 0
    setsid sh "$STANDIN/$unit.run" >/dev/null 2>&1 </dev/null &
    echo $! >"$STANDIN/$unit.pid"
    [ -e "$STANDIN/$unit.ready" ] && sh "$STANDIN/$unit.ready"
    exit 0
    ;;
esac
`;

/** A unit that appends one acknowledged number a line to a journal, ten times a second. */
const JOURNAL_WRITER = `trap 'exit 0' TERM
n=$(wc -l <"$JOURNAL" 2>/dev/null || echo 0)
while :; do
  n=$((n + 1))
  echo "$n" >>"$JOURNAL"
  sleep 0.1
done
`;

const missing = mariaDbMissing();

interface Bench {
  dir: string;
  standIn: string;
  env: NodeJS.ProcessEnv;
  run(side: 'pre' | 'post', extra?: string[]): ReturnType<typeof runAsAgent>;
  systemctl(...args: string[]): number | null;
}

async function bench(dir: string, apps: string[], params: ScaffoldParams, optionsSocket?: string): Promise<Bench> {
  const standIn = path.join(dir, 'standin');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(standIn);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'systemctl'), SYSTEMCTL, { mode: 0o755 });
  const optionsFile = path.join(dir, 'mysql.cnf');
  if (optionsSocket) fs.writeFileSync(optionsFile, `[client]\nuser=root\nsocket=${optionsSocket}\n`, { mode: 0o600 });
  const plan = planScaffold(apps, {
    ...params,
    settings: { ...(optionsSocket ? { options_file: optionsFile } : {}), state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log', 'scripts.log') },
  });
  const out = path.join(dir, 'out');
  await writeScaffold(plan, out);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, STANDIN: standIn };
  return {
    dir,
    standIn,
    env,
    run(side, extra = []) {
      const { script, params: configured } = configParams(out, side);
      return runAsAgent(path.join(out, path.posix.basename(script)), [...configured, ...extra], env);
    },
    systemctl: (...args) => spawnSync(path.join(bin, 'systemctl'), args, { env, stdio: 'ignore' }).status,
  };
}

function killAll(dir: string): void {
  for (const pid of processesMatching(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
}

describe('several applications on one VM', { skip: missing ? `MariaDB tests skipped: ${missing}` : false }, () => {
  describe('MariaDB, then a systemd unit', () => {
    let dir: string;
    let db: MariaDb;
    let b: Bench;
    const journal = () => path.join(dir, 'app', 'journal');
    const journalLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number);
    const tryInsert = () => db.sql('SET SESSION lock_wait_timeout = 1; INSERT INTO t.acked VALUES (-1 * (UNIX_TIMESTAMP(NOW(6)) * 1000000 MOD 1000000000))');

    before(async () => {
      dir = tempDir('vmsnapshot-multi-');
      db = await startMariaDb(dir);
      assert.equal((await db.sql(TransferWriter.setupSql('mysql'))).status, 0);
      b = await bench(dir, ['mysql', 'systemd'], { services: ['journal.service'] }, db.socket);
      fs.mkdirSync(path.join(dir, 'app'));
      fs.writeFileSync(path.join(b.standIn, 'journal.service.run'), `JOURNAL=${journal()}\n${JOURNAL_WRITER}`);
      assert.equal(b.systemctl('start', 'journal.service'), 0);
    });
    after(async () => {
      b?.systemctl('stop', 'journal.service');
      killAll(path.join(dir, 'state'));
      await db?.stop();
      killAll(dir);
      removeDir(dir);
    });

    it('one config, one pre- and one post-script, which check clean', () => {
      const config = JSON.parse(fs.readFileSync(path.join(dir, 'out/VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptLocation: string; preScriptParams: string[] };
      assert.equal(config.preScriptLocation, '/etc/azure/vmsnapshot/vmsnapshot-pre.sh');
      assert.ok(config.preScriptParams.includes('lock_seconds=180'), 'one bound for every part');
      assert.ok(config.preScriptParams.includes('systemd.service=journal.service'));
      const errors = analyzeConfigFile(path.join(dir, 'out/VMSnapshotScriptPluginConfig.json'), { fileChecks: 'off' }).diagnostics.filter((diagnostic) => diagnostic.severity !== 'information' && diagnostic.severity !== 'hint');
      assert.deepEqual(errors, []);
    });

    it('the restore drill: both quiesced in order, resumed in reverse, and the copy restores', async () => {
      const writer = new TransferWriter('mariadb', ['-S', db.socket, '--batch', '--skip-column-names', '--unbuffered'], 'mysql');
      const restoreDir = path.join(dir, 'restore');
      let restored: MariaDb | undefined;
      try {
        assert.ok(await waitFor(() => writer.acked.size >= 20 && fs.existsSync(journal()), 10_000));
        const pre = await b.run('pre');
        assert.equal(pre.status, 0, readLog(dir, 'scripts'));
        assert.equal(pre.stdout + pre.stderr, '');
        const preEnd = Date.now();
        assert.equal(b.systemctl('is-active', '--quiet', 'journal.service'), 1, 'the unit is stopped');
        const journalAtPre = journalLines(journal());
        fs.mkdirSync(restoreDir);
        await sleep(800);
        assert.deepEqual([...writer.acked.values()].filter((at) => at > preEnd + 50), [], 'MariaDB stays locked');
        const copyTime = Date.now();
        copyWhileStopped(db.pids(), [[db.dataDir, path.join(restoreDir, 'data')], [journal(), path.join(restoreDir, 'journal')]]);
        const postStart = Date.now();
        const post = await b.run('post');
        assert.equal(post.status, 0, readLog(dir, 'scripts'));
        const log = readLog(dir, 'scripts');
        assert.ok(log.indexOf('vmsnapshot-post/systemd') < log.indexOf('vmsnapshot-post/mysql', log.indexOf('vmsnapshot-post/systemd')), 'resumed in reverse order');
        assert.ok(log.indexOf('vmsnapshot-pre/mysql') < log.indexOf('vmsnapshot-pre/systemd'), 'quiesced in order');
        assert.equal(b.systemctl('is-active', '--quiet', 'journal.service'), 0, 'the unit runs again');
        assert.ok(await waitFor(() => [...writer.acked.values()].some((at) => at > postStart), 10_000), 'MariaDB takes writes again');
        await writer.stop();

        assert.deepEqual(journalLines(path.join(restoreDir, 'journal')), journalAtPre, 'the journal in the copy is what the unit wrote before it stopped');
        restored = await startMariaDb(restoreDir, true);
        const [sum, counter, rows] = (await restored.sql(TransferWriter.checkSql('mysql'))).stdout.split('\t').map(Number);
        assert.equal(sum, 1000);
        assert.equal(counter, rows);
        const inCopy = new Set((await restored.sql('SELECT n FROM t.acked')).stdout.split('\n').map(Number));
        for (const n of writer.ackedBefore(copyTime)) assert.ok(inCopy.has(n), `row ${n} restored`);
        assert.deepEqual([...inCopy].filter((n) => !writer.ackedBefore(postStart).includes(n)), [], 'none acknowledged after the lock');
      } finally {
        await writer.stop();
        await restored?.stop();
      }
    });

    it('a unit that will not stop fails the pre-script, which resumes MariaDB first quiesced', async () => {
      fs.writeFileSync(path.join(b.standIn, 'journal.service.fail'), '');
      try {
        const pre = await b.run('pre');
        assert.equal(pre.status, 1);
        assert.match(readLog(dir, 'scripts'), /systemd was not quiesced; resuming systemd, mysql/);
        assert.equal((await tryInsert()).status, 0, 'MariaDB takes writes again at once');
        assert.equal((await b.run('post')).status, 0, 'the pre-script undid everything: nothing to undo');
      } finally {
        fs.rmSync(path.join(b.standIn, 'journal.service.fail'));
      }
    });

    it('the post-script fails when one part\'s quiesce ended early, and still resumes the other', async () => {
      // A bound of a few seconds, waited out by what the scripts log rather than by a fixed pause:
      // on a loaded machine stopping the unit alone took 2 s, so a 2 s bound ran out inside the pre-script;
      // 6 s leaves three times that.
      const pre = await b.run('pre', ['lock_seconds=6']);
      assert.equal(pre.status, 0, readLog(dir, 'scripts'));
      assert.ok(await waitFor(() => /vmsnapshot-pre\/systemd\[[0-9]+\]: watchdog: no post-script within 6s/.test(readLog(dir, 'scripts')), 15_000), readLog(dir, 'scripts'));
      // MariaDB's bound started before the unit's watchdog; give its lock session a moment to print why it ended.
      await sleep(500);
      const post = await b.run('post');
      assert.equal(post.status, 1);
      const log = readLog(dir, 'scripts');
      assert.match(log, /vmsnapshot-post\/mysql\[[0-9]+\]: FAILED: the lock ended before the post-script/);
      assert.match(log, /vmsnapshot-post\/systemd\[[0-9]+\]: FAILED: the watchdog started the units again/);
      assert.equal(b.systemctl('is-active', '--quiet', 'journal.service'), 0, `the unit runs: ${log}`);
      const insert = await tryInsert();
      assert.equal(insert.status, 0, insert.stderr);
    });
  });

  describe('the systemd template with fsFreezeEnabled false: MariaDB stopped, a plain copy', () => {
    let dir: string;
    let b: Bench;
    let socket: string;
    const sql = (query: string) => spawnSync('mariadb', ['-S', socket, '--batch', '--skip-column-names', '-e', query], { encoding: 'utf8' });

    before(async () => {
      dir = tempDir('vmsnapshot-nofreeze-');
      const data = path.join(dir, 'data');
      socket = path.join(dir, 'mysqld.sock');
      const init = spawnSync('mariadb-install-db', [`--datadir=${data}`, '--user=root', '--auth-root-authentication-method=socket', '--skip-test-db'], { encoding: 'utf8' });
      assert.equal(init.status, 0, init.stderr);
      b = await bench(dir, ['systemd'], { services: ['mariadb'] });
      fs.writeFileSync(path.join(b.standIn, 'mariadb.run'), `exec mariadbd --datadir=${data} --socket=${socket} --skip-networking --user=root --pid-file=${dir}/mariadbd.pid --innodb-buffer-pool-size=32M\n`);
      fs.writeFileSync(path.join(b.standIn, 'mariadb.ready'), `i=0; while [ ! -S ${socket} ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done\n`);
      assert.equal(b.systemctl('start', 'mariadb'), 0);
      assert.equal(sql(TransferWriter.setupSql('mysql')).status, 0);
      const configPath = path.join(dir, 'out/VMSnapshotScriptPluginConfig.json');
      const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as Record<string, unknown>;
      config.fsFreezeEnabled = false;
      fs.writeFileSync(configPath, JSON.stringify(config, null, 2));
    });
    after(() => {
      b?.systemctl('stop', 'mariadb');
      killAll(dir);
      removeDir(dir);
    });

    it('the config check does not ask for the freeze: this template stops and flushes the application itself', () => {
      const found = analyzeConfigFile(path.join(dir, 'out/VMSnapshotScriptPluginConfig.json'), { fileChecks: 'off' }).diagnostics.map((diagnostic) => diagnostic.code);
      assert.ok(!found.includes('ScaffoldNeedsFreeze'));
    });

    it('the restore drill: a plain copy while the unit is stopped restores with every acknowledged row', async () => {
      const writer = new TransferWriter('mariadb', ['-S', socket, '--batch', '--skip-column-names', '--unbuffered'], 'mysql');
      const restoreDir = path.join(dir, 'restore');
      let restored: MariaDb | undefined;
      try {
        assert.ok(await waitFor(() => writer.acked.size >= 20, 10_000));
        const preStart = Date.now();
        const pre = await b.run('pre');
        assert.equal(pre.status, 0, readLog(dir, 'scripts'));
        fs.mkdirSync(restoreDir);
        const copy = spawnSync('cp', ['-a', path.join(dir, 'data'), path.join(restoreDir, 'data')]);
        assert.equal(copy.status, 0);
        const post = await b.run('post');
        assert.equal(post.status, 0, readLog(dir, 'scripts'));
        await writer.stop();
        restored = await startMariaDb(restoreDir, true);
        const [sum, counter, rows] = (await restored.sql(TransferWriter.checkSql('mysql'))).stdout.split('\t').map(Number);
        assert.equal(sum, 1000);
        assert.equal(counter, rows);
        const inCopy = new Set((await restored.sql('SELECT n FROM t.acked')).stdout.split('\n').map(Number));
        const before = writer.ackedBefore(preStart);
        assert.ok(before.length >= 20);
        for (const n of before) assert.ok(inCopy.has(n), `row ${n} restored`);
        assert.equal(sql('SELECT 1').status, 0, 'the unit runs again');
      } finally {
        await writer.stop();
        await restored?.stop();
      }
    });
  });
});
