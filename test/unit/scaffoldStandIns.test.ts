// The generic, systemd, Docker, MongoDB and Oracle templates run as the agent runs them (`sh script
// params…`, sh being dash) against stand-ins for systemctl, docker, mongosh and sqlplus that
// record their calls.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { configParams, processAlive, processesMatching, readLog, removeDir, runAsAgent, scaffoldInto, shIsDash, startAsAgent, tempDir, waitFor } from './scaffoldTestSupport';

const SYSTEMCTL = `#!/bin/sh
# Stand-in for systemctl: records each call; a unit is active while $STANDIN/<unit>.active exists.
printf 'systemctl %s\\n' "$*" >>"$STANDIN/calls"
case $1 in
  is-active)
    shift
    if [ "$1" = --quiet ]; then shift; fi
    [ -e "$STANDIN/$1.active" ]
    exit
    ;;
  stop)
    if [ -e "$STANDIN/$2.fail" ]; then exit 1; fi
    if [ -e "$STANDIN/$2.hang" ]; then echo $$ >"$STANDIN/hang.pid"; exec sleep 60; fi
    rm -f "$STANDIN/$2.active"
    ;;
  start) touch "$STANDIN/$2.active" ;;
esac
`;

const DOCKER = `#!/bin/sh
# Stand-in for docker: records each call; <name>.running and <name>.paused files are the state.
printf 'docker %s\\n' "$*" >>"$STANDIN/calls"
case $1 in
  inspect)
    running=false
    paused=false
    if [ -e "$STANDIN/$4.running" ]; then running=true; fi
    if [ -e "$STANDIN/$4.paused" ]; then paused=true; fi
    case $3 in
      *Running*) echo "$running $paused" ;;
      *) echo "$paused" ;;
    esac
    ;;
  pause)
    [ -e "$STANDIN/$2.running" ] || exit 1
    touch "$STANDIN/$2.paused"
    echo "$2"
    ;;
  unpause)
    rm -f "$STANDIN/$2.paused"
    echo "$2"
    ;;
esac
`;

/** Stand-in for mongosh: the last line of the script it is given says what is asked; fsync.locked is the lock. */
const MONGOSH = `#!/bin/sh
for arg; do js=$arg; done
asked=$(tail -n 1 "$js")
printf 'mongosh %s | %s | uri %s\\n' "$*" "$asked" "$(cat "$VMSNAPSHOT_URI_FILE")" >>"$STANDIN/calls"
case $asked in
  *'fsync: 1, lock: true'*)
    [ -e "$STANDIN/lock.fail" ] && exit 1
    touch "$STANDIN/fsync.locked"
    if [ -e "$STANDIN/lock.hang" ]; then echo $$ >"$STANDIN/hang.pid"; exec sleep 60; fi
    echo 'lockCount 1'
    ;;
  *'fsyncUnlock: 1'*) rm -f "$STANDIN/fsync.locked"; echo 'lockCount 0' ;;
  *'fsyncLock !== true'*) [ -e "$STANDIN/fsync.locked" ] ;;
  *'fsyncLock === true'*) if [ -e "$STANDIN/fsync.locked" ]; then echo 'still locked'; exit 1; fi ;;
esac
`;

/** Stand-in for SQL*Plus: reads the SQL on its input; backup.active is the database in backup mode. */
const SQLPLUS = `#!/bin/sh
sql=$(cat)
printf 'sqlplus %s as %s\\n' "$*" "$(id -un)" >>"$STANDIN/calls"
case $sql in
  *'BEGIN BACKUP'*) [ -e "$STANDIN/begin.fail" ] && exit 1; touch "$STANDIN/backup.active" ;;
  *'END BACKUP'*) rm -f "$STANDIN/backup.active" ;;
  *'FROM v$backup'*) if [ -e "$STANDIN/backup.active" ]; then echo '  7'; else echo '  0'; fi ;;
esac
`;

interface Bench {
  dir: string;
  standIn: string;
  env: NodeJS.ProcessEnv;
  app: string;
  run(side: 'pre' | 'post', extra?: string[]): ReturnType<typeof runAsAgent>;
  calls(): string[];
  exists(name: string): boolean;
  touch(...names: string[]): void;
  cleanup(): void;
}

async function bench(app: string, params: Parameters<typeof scaffoldInto>[2] = {}): Promise<Bench> {
  const dir = tempDir(`vmsnapshot-${app}-`);
  const standIn = path.join(dir, 'standin');
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(standIn);
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'systemctl'), SYSTEMCTL, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'docker'), DOCKER, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, 'mongosh'), MONGOSH, { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'oracle', 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'oracle', 'bin', 'sqlplus'), SQLPLUS, { mode: 0o755 });
  await scaffoldInto(dir, app, params);
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, STANDIN: standIn };
  const out = path.join(dir, 'out');
  return {
    dir,
    standIn,
    env,
    app,
    run(side, extra = []) {
      const { params: configured } = configParams(out, side);
      return runAsAgent(path.join(out, `${app}-${side}.sh`), [...configured, ...extra], env);
    },
    calls() {
      return fs.existsSync(path.join(standIn, 'calls')) ? fs.readFileSync(path.join(standIn, 'calls'), 'utf8').trim().split('\n') : [];
    },
    exists(name) {
      return fs.existsSync(path.join(standIn, name));
    },
    touch(...names) {
      for (const name of names) fs.writeFileSync(path.join(standIn, name), '');
    },
    cleanup() {
      for (const pid of processesMatching(dir)) process.kill(pid, 'SIGKILL');
      removeDir(dir);
    },
  };
}

/** Runs `body` on a fresh bench, and removes the bench and its processes whatever happens. */
async function withBench<B extends Bench>(make: () => Promise<B>, body: (b: B) => Promise<void>): Promise<void> {
  const b = await make();
  try {
    await body(b);
  } finally {
    b.cleanup();
  }
}

const isRoot = process.getuid?.() === 0;

function assertQuiet(result: { stdout: string; stderr: string }): void {
  // The agent never reads these pipes: everything must go to the log file.
  assert.equal(result.stdout, '');
  assert.equal(result.stderr, '');
}

describe('templates under dash with stand-ins', () => {
  it('/bin/sh is dash here, as on Debian VMs', { skip: shIsDash() ? false : '/bin/sh is not dash on this machine' }, () => {
    assert.ok(shIsDash());
  });

  describe('generic', () => {
    it('pre flushes and logs, post logs; nothing on stdout or stderr', async () => {
      await withBench(() => bench('generic'), async (b) => {
        const pre = await b.run('pre');
        assert.equal(pre.status, 0);
        assertQuiet(pre);
        assert.match(readLog(b.dir, 'generic'), /buffers flushed/);
        const post = await b.run('post');
        assert.equal(post.status, 0);
        assertQuiet(post);
        assert.match(readLog(b.dir, 'generic'), /the pre-script ran at/);
        const lonely = await b.run('post');
        assert.equal(lonely.status, 0, 'a post-script without a pre-script has nothing to undo');
        assert.match(readLog(b.dir, 'generic'), /did not finish \(or did not run\)/);
      });
    });

    it('an unknown parameter fails the pre-script but not the post-script', async () => {
      await withBench(() => bench('generic'), async (b) => {
        const pre = await b.run('pre', ['bogus']);
        assert.equal(pre.status, 1);
        assertQuiet(pre);
        assert.match(readLog(b.dir, 'generic'), /unknown parameters.* bogus/);
        const post = await b.run('post', ['bogus=1']);
        assert.equal(post.status, 0);
        assert.match(readLog(b.dir, 'generic'), /ignoring unknown parameters: bogus=1/);
      });
    });

    it('a log file that cannot be written fails with status 3 and still prints nothing', async () => {
      await withBench(() => bench('generic'), async (b) => {
        for (const logFile of ['log_file=relative.log', `log_file=${b.dir}/nofolder/\u00e9.log`, 'log_file=/proc/nope/x.log']) {
          const pre = await b.run('pre', [logFile]);
          assert.equal(pre.status, 3, logFile);
          assertQuiet(pre);
        }
      });
    });
  });

  describe('systemd', () => {
    it('stops only running units, and the post-script starts exactly those again', async () => {
      await withBench(() => bench('systemd', { services: ['app', 'idle'] }), async (b) => {
        b.touch('app.active');
        const pre = await b.run('pre');
        assert.equal(pre.status, 0, readLog(b.dir, 'systemd'));
        assertQuiet(pre);
        assert.equal(b.exists('app.active'), false, 'app is stopped');
        assert.ok(b.calls().includes('systemctl stop app'));
        assert.ok(!b.calls().includes('systemctl stop idle'), 'a unit that was not running is left alone');
        const watchdog = Number(fs.readFileSync(path.join(b.dir, 'state/watchdog.pid'), 'utf8').split(' ')[0]);
        assert.ok(processAlive(watchdog), 'a watchdog bounds the stop');

        const post = await b.run('post');
        assert.equal(post.status, 0, readLog(b.dir, 'systemd'));
        assertQuiet(post);
        assert.equal(b.exists('app.active'), true);
        assert.equal(b.exists('idle.active'), false, 'idle is not started: it was not running before');
        assert.ok(!b.calls().includes('systemctl start idle'));
        assert.ok(await waitFor(() => !processAlive(watchdog), 2000), 'the post-script ends the watchdog');
      });
    });

    it('a lost post-script: the watchdog starts the unit again after lock_seconds, and the late post-script reports it', async () => {
      await withBench(() => bench('systemd', { services: ['app'] }), async (b) => {
        b.touch('app.active');
        const pre = await b.run('pre', ['lock_seconds=2']);
        assert.equal(pre.status, 0);
        assert.equal(b.exists('app.active'), false);
        assert.ok(await waitFor(() => b.exists('app.active'), 8000), 'started again by itself');
        assert.match(readLog(b.dir, 'systemd'), /watchdog: no post-script within 2s/);
        const post = await b.run('post');
        assert.equal(post.status, 1, 'the unit ran again before the post-script: not application-consistent');
        assert.match(readLog(b.dir, 'systemd'), /FAILED: the watchdog started the units again after lock_seconds, before the post-script/);
        assert.equal((await b.run('post')).status, 0, 'once reported, there is nothing left to undo');
      });
    });

    it('a unit started by someone else before the post-script fails the post-script', async () => {
      await withBench(() => bench('systemd', { services: ['app'] }), async (b) => {
        b.touch('app.active');
        assert.equal((await b.run('pre')).status, 0);
        b.touch('app.active');
        const post = await b.run('post');
        assert.equal(post.status, 1);
        assert.match(readLog(b.dir, 'systemd'), /FAILED: app was started again before the post-script/);
      });
    });

    it('a pre-script killed half-way: the post-script starts what it had stopped', async () => {
      await withBench(() => bench('systemd', { services: ['app', 'slow'] }), async (b) => {
        b.touch('app.active', 'slow.active', 'slow.hang');
        const pre = startAsAgent(path.join(b.dir, 'out/systemd-pre.sh'), configParams(path.join(b.dir, 'out'), 'pre').params, b.env);
        assert.ok(await waitFor(() => b.exists('hang.pid'), 5000), 'the pre-script is stuck stopping slow');
        pre.kill('SIGKILL');
        process.kill(Number(fs.readFileSync(path.join(b.standIn, 'hang.pid'), 'utf8')), 'SIGKILL');
        assert.equal(b.exists('app.active'), false);
        const post = await b.run('post');
        assert.equal(post.status, 1, 'the pre-script never finished: nothing was quiesced for the snapshot');
        assert.match(readLog(b.dir, 'systemd'), /the pre-script did not finish stopping the units/);
        assert.equal(b.exists('app.active'), true);
        assert.ok(b.calls().includes('systemctl start slow'), 'slow was listed before its stop began');
      });
    });

    it('a unit that will not stop fails the pre-script, which starts again what it stopped', async () => {
      await withBench(() => bench('systemd', { services: ['app', 'stuck'] }), async (b) => {
        b.touch('app.active', 'stuck.active', 'stuck.fail');
        const pre = await b.run('pre');
        assert.equal(pre.status, 1);
        assertQuiet(pre);
        assert.equal(b.exists('app.active'), true, 'app runs again');
        assert.match(readLog(b.dir, 'systemd'), /FAILED: could not stop stuck/);
        assert.equal((await b.run('post')).status, 0);
      });
    });

    it('without any service= the pre-script fails', async () => {
      await withBench(() => bench('systemd', { services: ['app'] }), async (b) => {
        const { params } = configParams(path.join(b.dir, 'out'), 'pre');
        const pre = await runAsAgent(path.join(b.dir, 'out/systemd-pre.sh'), params.filter((param) => !param.startsWith('service=')), b.env);
        assert.equal(pre.status, 1);
        assert.match(readLog(b.dir, 'systemd'), /no service= parameter/);
      });
    });
  });

  describe('docker', () => {
    it('pauses only running, unpaused containers; the post-script unpauses exactly those', async () => {
      await withBench(() => bench('docker', { containers: ['web', 'stopped', 'frozen'] }), async (b) => {
        b.touch('web.running', 'frozen.running', 'frozen.paused');
        const pre = await b.run('pre');
        assert.equal(pre.status, 0, readLog(b.dir, 'docker'));
        assertQuiet(pre);
        assert.equal(b.exists('web.paused'), true);
        assert.deepEqual(b.calls().filter((call) => call.startsWith('docker pause')), ['docker pause web']);
        const post = await b.run('post');
        assert.equal(post.status, 0, readLog(b.dir, 'docker'));
        assertQuiet(post);
        assert.equal(b.exists('web.paused'), false);
        assert.equal(b.exists('frozen.paused'), true, 'a container paused by someone else stays paused');
        assert.deepEqual(b.calls().filter((call) => call.startsWith('docker unpause')), ['docker unpause web']);
        assert.equal((await b.run('pre')).status, 0, readLog(b.dir, 'docker'));
        fs.rmSync(path.join(b.standIn, 'web.paused'));
        assert.equal((await b.run('post')).status, 1, 'unpaused before the post-script');
        assert.match(readLog(b.dir, 'docker'), /FAILED: web was unpaused before the post-script/);
      });
    });

    it('a lost post-script: the watchdog unpauses after lock_seconds, and the late post-script reports it', async () => {
      await withBench(() => bench('docker', { containers: ['web'] }), async (b) => {
        b.touch('web.running');
        assert.equal((await b.run('pre', ['lock_seconds=2'])).status, 0);
        assert.equal(b.exists('web.paused'), true);
        assert.ok(await waitFor(() => !b.exists('web.paused'), 8000), 'unpaused by itself');
        assert.equal((await b.run('post')).status, 1);
        assert.match(readLog(b.dir, 'docker'), /FAILED: the watchdog unpaused the containers after lock_seconds/);
      });
    });
  });

  describe('mongodb', { skip: isRoot ? false : 'the connection file must be owned by root' }, () => {
    const URI = 'mongodb://backup:s3cret@localhost:27017/admin';
    async function mongoBench(): Promise<Bench & { uriFile: string }> {
      const dir = tempDir('vmsnapshot-mongo-uri-');
      const uriFile = path.join(dir, 'mongodb.uri');
      fs.writeFileSync(uriFile, `${URI}\n`, { mode: 0o600 });
      const b = await bench('mongodb', { settings: { uri_file: uriFile } });
      const cleanup = b.cleanup;
      return { ...b, uriFile, cleanup: () => (cleanup(), removeDir(dir)) };
    }

    it('fsyncLock in the pre-script, fsyncUnlock in the post-script; the password is read from the file, never passed', async () => {
      await withBench(() => mongoBench(), async (b) => {
        const pre = await b.run('pre');
        assert.equal(pre.status, 0, readLog(b.dir, 'mongodb'));
        assertQuiet(pre);
        assert.equal(b.exists('fsync.locked'), true);
        const post = await b.run('post');
        assert.equal(post.status, 0, readLog(b.dir, 'mongodb'));
        assertQuiet(post);
        assert.equal(b.exists('fsync.locked'), false);
        assert.match(readLog(b.dir, 'mongodb'), /resumed: the server is not fsync-locked/);
        for (const call of b.calls()) {
          assert.match(call, /\| uri mongodb:\/\/backup:s3cret@/, 'mongosh read the connection string from the file');
          assert.doesNotMatch(call.split(' | ')[0], /s3cret/, 'and it is not on the command line');
        }
        assert.doesNotMatch(fs.readFileSync(path.join(b.dir, 'state', 'command.js'), 'utf8'), /s3cret/);
        assert.equal((await b.run('post')).status, 0, 'a second post-script finds nothing to undo');
        assert.match(readLog(b.dir, 'mongodb'), /done: nothing to undo/);
      });
    });

    it('a refused fsyncLock fails the pre-script, leaves nothing locked, and the post-script has nothing to undo', async () => {
      await withBench(() => mongoBench(), async (b) => {
        b.touch('lock.fail');
        const pre = await b.run('pre');
        assert.equal(pre.status, 1);
        assertQuiet(pre);
        assert.match(readLog(b.dir, 'mongodb'), /FAILED: fsyncLock failed/);
        assert.equal(b.exists('fsync.locked'), false);
        assert.equal(fs.existsSync(path.join(b.dir, 'state', 'watchdog.pid')), false, 'no watchdog left behind');
        assert.equal((await b.run('post')).status, 0);
        assert.match(readLog(b.dir, 'mongodb'), /done: nothing to undo/);
      });
    });

    it('a pre-script killed while the server takes the lock: the post-script unlocks and reports it', async () => {
      await withBench(() => mongoBench(), async (b) => {
        b.touch('lock.hang');
        const pre = startAsAgent(path.join(b.dir, 'out/mongodb-pre.sh'), configParams(path.join(b.dir, 'out'), 'pre').params, b.env);
        assert.ok(await waitFor(() => b.exists('hang.pid'), 5000), 'the pre-script is waiting for fsyncLock');
        pre.kill('SIGKILL');
        process.kill(Number(fs.readFileSync(path.join(b.standIn, 'hang.pid'), 'utf8')), 'SIGKILL');
        assert.equal(b.exists('fsync.locked'), true, 'the server did lock');
        const post = await b.run('post');
        assert.equal(post.status, 1, 'the pre-script never finished: nothing was quiesced for the snapshot');
        assert.match(readLog(b.dir, 'mongodb'), /FAILED: the pre-script did not finish \(it was killed, or is still running\): this snapshot is not application-consistent/);
        assert.equal(b.exists('fsync.locked'), false, 'the post-script unlocked it all the same');
      });
    });

    it('a connection file others can read is refused before anything is locked', async () => {
      await withBench(() => mongoBench(), async (b) => {
        fs.chmodSync(b.uriFile, 0o644);
        const pre = await b.run('pre');
        assert.equal(pre.status, 1);
        assert.match(readLog(b.dir, 'mongodb'), /must be owned by root with mode 600 \(owner and mode now: 0 644\)/);
        assert.match(readLog(b.dir, 'mongodb'), /FAILED: no usable connection file/);
        assert.deepEqual(b.calls(), [], 'mongosh never ran');
      });
    });

    it('a lost post-script: the watchdog unlocks after lock_seconds, and the late post-script reports it', async () => {
      await withBench(() => mongoBench(), async (b) => {
        assert.equal((await b.run('pre', ['lock_seconds=2'])).status, 0, readLog(b.dir, 'mongodb'));
        assert.ok(await waitFor(() => !b.exists('fsync.locked'), 8000), 'unlocked by itself');
        assert.equal((await b.run('post')).status, 1);
        assert.match(readLog(b.dir, 'mongodb'), /FAILED: the watchdog unlocked after lock_seconds, before the post-script: this snapshot is not application-consistent/);
        assert.equal((await b.run('post')).status, 0, 'once reported, there is nothing left to undo');
      });
    });
  });

  describe('oracle', { skip: isRoot ? false : 'runs SQL*Plus as the database owner with runuser, which needs root' }, () => {
    const oracleBench = () => bench('oracle', { settings: { oracle_user: 'root' } });
    const runOracle = (b: Bench, side: 'pre' | 'post', extra: string[] = []) => b.run(side, [`oracle_home=${path.join(b.dir, 'oracle')}`, ...extra]);

    it('BEGIN BACKUP in the pre-script as the database owner, END BACKUP in the post-script', async () => {
      await withBench(() => oracleBench(), async (b) => {
        const pre = await runOracle(b, 'pre');
        assert.equal(pre.status, 0, readLog(b.dir, 'oracle'));
        assertQuiet(pre);
        assert.equal(b.exists('backup.active'), true);
        assert.match(readLog(b.dir, 'oracle'), /quiesced: 7 data files in backup mode/);
        assert.ok(b.calls().every((call) => call === "sqlplus -S -L / as sysdba as root"), b.calls().join('\n'));
        const post = await runOracle(b, 'post');
        assert.equal(post.status, 0, readLog(b.dir, 'oracle'));
        assertQuiet(post);
        assert.equal(b.exists('backup.active'), false);
        assert.match(readLog(b.dir, 'oracle'), /resumed: no data file is in backup mode/);
      });
    });

    it('a database that refuses BEGIN BACKUP fails the pre-script, and the post-script has nothing to undo', async () => {
      await withBench(() => oracleBench(), async (b) => {
        b.touch('begin.fail');
        const pre = await runOracle(b, 'pre');
        assert.equal(pre.status, 1);
        assertQuiet(pre);
        assert.match(readLog(b.dir, 'oracle'), /FAILED: BEGIN BACKUP failed \(the database must run in ARCHIVELOG mode\)/);
        assert.equal(b.exists('backup.active'), false);
        assert.equal((await runOracle(b, 'post')).status, 0);
        assert.match(readLog(b.dir, 'oracle'), /done: nothing to undo/);
      });
    });

    it('a lost post-script: the watchdog ends backup mode after lock_seconds, and the late post-script reports it', async () => {
      await withBench(() => oracleBench(), async (b) => {
        assert.equal((await runOracle(b, 'pre', ['lock_seconds=2'])).status, 0, readLog(b.dir, 'oracle'));
        assert.ok(await waitFor(() => !b.exists('backup.active'), 8000), 'ended by itself');
        assert.equal((await runOracle(b, 'post')).status, 1);
        assert.match(readLog(b.dir, 'oracle'), /FAILED: the watchdog ended backup mode after lock_seconds, before the post-script: this snapshot is not application-consistent/);
        assert.equal((await runOracle(b, 'post')).status, 0, 'once reported, there is nothing left to undo');
        assert.match(readLog(b.dir, 'oracle'), /done: nothing to undo/);
      });
    });
  });
});
