// Planning (pure) and the CLI front end: what goes into the config, and what is refused.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeConfigText } from '../../server/src/engine';
import { APP_IDS, planScaffold, ScaffoldError } from '../../server/src/engine/scaffold';
import { runScaffoldCommand } from '../../server/src/cli/scaffoldCommand';
import { removeDir, tempDir } from './scaffoldTestSupport';

function config(app: string, params = {}): Record<string, unknown> {
  const plan = planScaffold(app, { services: ['a'], containers: ['c'], ...params });
  return JSON.parse(plan.files.find((file) => file.role === 'config')?.content ?? '{}') as Record<string, unknown>;
}

function reason(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ScaffoldError) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('planScaffold', () => {
  it('every app gives a config with no finding at all from the engine', () => {
    for (const app of APP_IDS) {
      const plan = planScaffold(app, { services: ['a.service'], containers: ['c'] });
      const text = plan.files.find((file) => file.role === 'config')?.content ?? '';
      const result = analyzeConfigText(text, { fileChecks: 'off' });
      assert.deepEqual(result.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}`), [], app);
    }
  });

  it('bounds the quiesce by the agent\'s timeline: pre limit + 60 s snapshot window + post limit', () => {
    const mysql = config('mysql', { timeoutSeconds: 45 });
    assert.equal(mysql.timeoutInSeconds, 45);
    // 45 s is 15 polls of 3 s, so each script may run 45 s; the freeze lasts up to 60 s.
    assert.deepEqual(mysql.preScriptParams, ['lock_seconds=150', 'options_file=/etc/azure/vmsnapshot/mysql.cnf']);
    // 31 s rounds up to 33 s: the agent counts whole polls.
    assert.deepEqual(config('mysql', { timeoutSeconds: 31 }).preScriptParams, ['lock_seconds=126', 'options_file=/etc/azure/vmsnapshot/mysql.cnf']);
    assert.deepEqual(mysql.postScriptParams, ['options_file=/etc/azure/vmsnapshot/mysql.cnf']);
    assert.equal(config('generic').preScriptParams instanceof Array, true);
  });

  it('passes units and containers one per argument, and puts scripts and options under --script-dir', () => {
    const systemd = config('systemd', { services: ['nginx.service, php-fpm.service'], scriptDir: '/opt/backup/' });
    assert.deepEqual(systemd.preScriptParams, ['lock_seconds=180', 'service=nginx.service', 'service=php-fpm.service']);
    assert.equal(systemd.preScriptLocation, '/opt/backup/systemd-pre.sh');
    const pg = planScaffold('postgresql', { scriptDir: '/opt/backup' });
    assert.equal(pg.files.find((file) => file.role === 'options')?.vmPath, '/opt/backup/pg_service.conf');
    assert.ok(pg.preParams.includes('service_file=/opt/backup/pg_service.conf'));
  });

  it('refuses what could not work', () => {
    assert.equal(reason(() => planScaffold('nope')), 'unknownApp');
    assert.equal(reason(() => planScaffold('generic', { timeoutSeconds: 0 })), 'timeout');
    assert.equal(reason(() => planScaffold('generic', { timeoutSeconds: 1801 })), 'timeout');
    assert.equal(reason(() => planScaffold('generic', { timeoutSeconds: 2.5 })), 'timeout');
    assert.equal(reason(() => planScaffold('systemd')), 'missingTargets');
    assert.equal(reason(() => planScaffold('docker', { containers: [] })), 'missingTargets');
    assert.equal(reason(() => planScaffold('systemd', { services: ['$(reboot)'] })), 'invalidValue');
    assert.equal(reason(() => planScaffold('mysql', { settings: { options_file: 'relative.cnf' } })), 'invalidValue');
    assert.equal(reason(() => planScaffold('mysql', { settings: { options_file: '/etc/../tmp/x' } })), 'invalidValue');
    assert.equal(reason(() => planScaffold('mysql', { settings: { password: 'x' } })), 'unknownSetting');
    assert.equal(reason(() => planScaffold('mysql', { scriptDir: 'etc/azure' })), 'invalidValue');
    assert.equal(reason(() => planScaffold('mysql', { settings: { options_file: '/root/my.cnf' } })), 'accepted');
  });

  it('never puts a credential in the config: only the path of the root-only file', () => {
    for (const app of ['mysql', 'postgresql', 'mongodb']) {
      const text = JSON.stringify(config(app));
      assert.doesNotMatch(text, /password|passwd|-p[^a-z]/i, app);
    }
  });
});

describe('vmsnapshot scaffold (CLI)', () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) }, out, err };
  }

  it('writes the files and says how to install them', async () => {
    const dir = tempDir('vmsnapshot-cli-');
    try {
      const { io, out } = capture();
      const status = await runScaffoldCommand(['--app', 'docker', '--out', dir, '--container', 'web', '--container=db', '--timeout', '30'], io);
      assert.equal(status, 0);
      assert.match(out.join('\n'), /install\.sh/);
      const written = JSON.parse(fs.readFileSync(path.join(dir, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptParams: string[]; timeoutInSeconds: number };
      assert.deepEqual(written.preScriptParams, ['lock_seconds=120', 'container=web', 'container=db']);
      assert.equal(fs.statSync(path.join(dir, 'docker-pre.sh')).mode & 0o777, 0o700);

      const again = capture();
      assert.equal(await runScaffoldCommand(['--app', 'docker', '--out', dir, '--container', 'web'], again.io), 1, 'existing files need --force');
      assert.match(again.err.join('\n'), /--force/);
      assert.equal(await runScaffoldCommand(['--app', 'docker', '--out', dir, '--container', 'web', '--force'], capture().io), 0);

      const declined = capture();
      const asked: string[] = [];
      const status2 = await runScaffoldCommand(['--app', 'docker', '--out', dir, '--container', 'x'], { ...declined.io, confirm: async (question) => (asked.push(question), false) });
      assert.equal(status2, 1);
      assert.equal(asked.length, 1);
    } finally {
      removeDir(dir);
    }
  });

  it('maps --options-file to each database\'s setting, and --set to any other', async () => {
    const dir = tempDir('vmsnapshot-cli-');
    try {
      const status = await runScaffoldCommand(['--app', 'postgresql', '--out', dir, '--options-file', '/etc/pg.conf', '--set', 'label_dir=/srv/labels'], capture().io);
      assert.equal(status, 0);
      const written = JSON.parse(fs.readFileSync(path.join(dir, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptParams: string[]; postScriptParams: string[] };
      assert.ok(written.preScriptParams.includes('service_file=/etc/pg.conf'));
      assert.ok(written.postScriptParams.includes('label_dir=/srv/labels'));
    } finally {
      removeDir(dir);
    }
  });

  it('--app repeated writes one pre- and one post-script for all, with per-application parameters', async () => {
    const dir = tempDir('vmsnapshot-cli-');
    try {
      const status = await runScaffoldCommand(['--app', 'mysql', '--app', 'docker', '--container', 'web', '--out', dir, '--options-file', '/srv/my.cnf'], capture().io);
      assert.equal(status, 0);
      const written = JSON.parse(fs.readFileSync(path.join(dir, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptLocation: string; preScriptParams: string[]; postScriptParams: string[] };
      assert.equal(written.preScriptLocation, '/etc/azure/vmsnapshot/vmsnapshot-pre.sh');
      assert.deepEqual(written.preScriptParams, ['lock_seconds=180', 'mysql.options_file=/srv/my.cnf', 'docker.container=web']);
      assert.deepEqual(written.postScriptParams, ['mysql.options_file=/srv/my.cnf']);
      const pre = fs.readFileSync(path.join(dir, 'vmsnapshot-pre.sh'), 'utf8');
      assert.ok(pre.indexOf('if ! quiesce_mysql; then') < pre.indexOf('if ! quiesce_docker; then'), 'in the order given');
      assert.match(pre, /if ! quiesce_docker; then\n {2}log "docker was not quiesced; resuming docker, mysql"\n {2}resume_docker\n {2}resume_mysql\n/);
      const post = fs.readFileSync(path.join(dir, 'vmsnapshot-post.sh'), 'utf8');
      assert.ok(post.indexOf('resume_docker || status=1') < post.indexOf('resume_mysql || status=1'), 'resumed in reverse order');
      assert.equal(fs.existsSync(path.join(dir, 'mysql.cnf')), true);
    } finally {
      removeDir(dir);
    }
  });

  it('refuses an application twice, generic with others, and an ambiguous --options-file', async () => {
    assert.equal(reason(() => planScaffold(['mysql', 'mysql'])), 'duplicateApp');
    assert.equal(reason(() => planScaffold(['generic', 'mysql'])), 'duplicateApp');
    const dir = tempDir('vmsnapshot-cli-');
    removeDir(dir);
    const { io, err } = capture();
    assert.equal(await runScaffoldCommand(['--app', 'mysql', '--app', 'postgresql', '--out', dir, '--options-file', '/x'], io), 2);
    assert.match(err.join('\n'), /--set options_file=PATH, --set service_file=PATH/);
  });

  it('bad input prints the usage and exits 2', async () => {
    const dir = tempDir('vmsnapshot-cli-');
    removeDir(dir);
    for (const args of [[], ['--app', 'mysql'], ['--out', dir], ['--app', 'nope', '--out', dir], ['--app', 'mysql', '--out', dir, '--bogus'], ['--app', 'mysql', '--out', dir, '--timeout', 'soon'], ['--app', 'systemd', '--out', dir], ['--app', 'generic', '--out', dir, '--options-file', '/x']]) {
      const { io, err } = capture();
      assert.equal(await runScaffoldCommand(args, io), 2, args.join(' '));
      assert.match(err.join('\n'), /Usage:/, args.join(' '));
    }
    assert.equal(fs.existsSync(dir), false, 'nothing was written');
  });
});
