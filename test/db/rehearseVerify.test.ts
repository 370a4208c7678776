// `vmsnapshot rehearse --verify` against real MariaDB and PostgreSQL servers: for the scaffolded
// scripts, another session sees the database quiesced during the snapshot window and released
// after the post-script (or, with no post-script, after the scripts' own bound); for a
// pre-script that takes its lock in a client that exits at once, it fails and says why.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planScaffold, writeScaffold } from '../../server/src/engine/scaffold';
import { processesMatching, removeDir, tempDir } from '../unit/scaffoldTestSupport';
import { mariaDbMissing, MariaDb, Postgres, postgresMissing, startMariaDb, startPostgres } from './dbSupport';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const LOCK_SECONDS = 6;

interface Check {
  ok: boolean;
  message: string;
}
interface VerifyReport {
  agent: { code: number };
  verify: { application: string; passed: boolean; quiesced: Check | null; released: Check | null } | null;
}

/** The CLI as the user runs it; async, because a probing write waits while the scripts run. */
function rehearse(args: string[]): Promise<{ status: number | null; report: VerifyReport; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_JS, 'rehearse', '--yes', '--format', 'json', '--between', 'true', ...args], { env: { ...process.env, LANG: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve({ status, report: JSON.parse(stdout) as VerifyReport, stderr });
      } catch {
        reject(new Error(`no JSON report (exit ${status}): ${stdout}\n${stderr}`));
      }
    });
  });
}

/** Scaffolds an application's scripts and deploys them with install.sh under `dir/root`. */
async function deployScaffold(dir: string, app: 'mysql' | 'postgresql', settings: Record<string, string>): Promise<string> {
  const plan = planScaffold(app, { timeoutSeconds: LOCK_SECONDS, settings: { state_dir: path.join(dir, 'state'), log_file: path.join(dir, 'log', `${app}.log`), ...settings } });
  const out = path.join(dir, 'out');
  await writeScaffold(plan, out);
  const root = path.join(dir, 'root');
  const install = spawnSync('sh', [path.join(out, 'install.sh'), root], { encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);
  return root;
}

/** A hand-written pair of scripts, with the agent's modes and the given parameters. */
function deployOwn(dir: string, pre: string, post: string, params: string[]): string {
  const root = path.join(dir, 'own');
  fs.mkdirSync(path.join(root, 'etc/azure'), { recursive: true });
  fs.writeFileSync(path.join(root, 'etc/azure/pre.sh'), pre, { mode: 0o700 });
  fs.writeFileSync(path.join(root, 'etc/azure/post.sh'), post, { mode: 0o700 });
  const config = { preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', preScriptParams: params, postScriptParams: params, timeoutInSeconds: 10, ScriptsExecutionPollTimeSeconds: 1 };
  fs.writeFileSync(path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json'), JSON.stringify(config), { mode: 0o600 });
  return root;
}

function leaveNothingBehind(dir: string): void {
  for (const pid of processesMatching(dir)) {
    const command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!command.startsWith('mariadbd') && !command.includes('postgres')) process.kill(pid, 'SIGKILL');
  }
}

const mariaMissing = mariaDbMissing();
describe('rehearse --verify with MariaDB', { skip: mariaMissing ? `MariaDB tests skipped: ${mariaMissing}` : false }, () => {
  let dir: string;
  let db: MariaDb;
  let root: string;
  let optionsFile: string;

  before(async () => {
    dir = tempDir('vmsnapshot-rehearse-maria-');
    db = await startMariaDb(dir);
    optionsFile = path.join(dir, 'mysql.cnf');
    root = await deployScaffold(dir, 'mysql', { options_file: optionsFile });
    fs.writeFileSync(optionsFile, `[client]\nuser=root\nsocket=${db.socket}\n`, { mode: 0o600 });
  });

  after(async () => {
    leaveNothingBehind(dir);
    await db?.stop();
    removeDir(dir);
  });

  it('passes for the scaffolded scripts: a write waits during the window and goes through after the post-script', async () => {
    const { status, report, stderr } = await rehearse(['--root', root, '--verify']);
    assert.equal(status, 0, JSON.stringify(report.verify) + stderr);
    assert.equal(report.agent.code, 0);
    assert.equal(report.verify?.application, 'MySQL/MariaDB');
    assert.equal(report.verify?.passed, true);
    assert.match(report.verify!.quiesced!.message, /waited 2 s for the lock/);
    assert.match(report.verify!.released!.message, /went through .* after the post-script/);
    // The probe cleans up after itself.
    assert.equal((await db.sql("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'vmsnapshot_rehearsal'")).stdout, '0');
  });

  it('--skip-post: the lock releases itself within the scripts\' bound', async () => {
    const { status, report } = await rehearse(['--root', root, '--verify', '--skip-post']);
    assert.equal(status, 0, JSON.stringify(report.verify));
    assert.equal(report.verify?.passed, true);
    assert.match(report.verify!.released!.message, /With no post-script, writes went through again/);
  });

  it('fails, saying why, for a pre-script whose lock dies with a one-shot mariadb -e', async () => {
    const own = deployOwn(
      dir,
      'mariadb --defaults-extra-file="${1#options_file=}" -e "FLUSH TABLES WITH READ LOCK"\n',
      'mariadb --defaults-extra-file="${1#options_file=}" -e "UNLOCK TABLES"\n',
      [`options_file=${optionsFile}`],
    );
    const { status, report } = await rehearse(['--root', own, '--verify', '--app', 'mysql']);
    assert.equal(status, 1);
    assert.equal(report.agent.code, 0, 'the agent itself would report success: only --verify sees the lie');
    assert.equal(report.verify?.passed, false);
    assert.equal(report.verify?.quiesced?.ok, false);
    assert.match(report.verify!.quiesced!.message, /went through during the snapshot window: nothing held the lock/);
    assert.match(report.verify!.quiesced!.message, /client that exits at once/);
  });
});

const pgMissing = postgresMissing();
describe('rehearse --verify with PostgreSQL', { skip: pgMissing ? `PostgreSQL tests skipped: ${pgMissing}` : false }, () => {
  let dir: string;
  let db: Postgres;
  let root: string;
  let serviceFile: string;

  before(async () => {
    dir = tempDir('vmsnapshot-rehearse-pg-');
    db = await startPostgres(dir);
    serviceFile = path.join(dir, 'pg_service.conf');
    root = await deployScaffold(dir, 'postgresql', { service_file: serviceFile, label_dir: path.join(dir, 'labels') });
    fs.writeFileSync(serviceFile, `[vmsnapshot]\nhost=${db.socketDir}\nuser=postgres\ndbname=postgres\n`, { mode: 0o600 });
  });

  after(async () => {
    leaveNothingBehind(dir);
    await db?.stop();
    removeDir(dir);
  });

  it('passes for the scaffolded scripts: a backup is held during the window and ended after the post-script', async () => {
    const { status, report, stderr } = await rehearse(['--root', root, '--verify']);
    assert.equal(status, 0, JSON.stringify(report.verify) + stderr);
    assert.equal(report.verify?.application, 'PostgreSQL');
    assert.match(report.verify!.quiesced!.message, /holds a backup started with pg_backup_start/);
    assert.match(report.verify!.released!.message, /backup mode is off/);
  });

  it('fails for a pre-script that starts the backup in a psql -c that exits at once', async () => {
    const own = deployOwn(
      dir,
      'PGSERVICEFILE="${1#service_file=}" PGSERVICE=vmsnapshot psql -X -q -c "SELECT pg_backup_start(\'oneshot\')"\n',
      'exit 0\n',
      [`service_file=${serviceFile}`],
    );
    const { status, report } = await rehearse(['--root', own, '--verify', '--app', 'postgresql']);
    assert.equal(status, 1);
    assert.equal(report.verify?.quiesced?.ok, false);
    assert.match(report.verify!.quiesced!.message, /No session holds a started backup/);
  });
});
