// Every template of every application: POSIX sh as dash reads it, ShellCheck-clean, a config the
// engine finds no error in, and the modes the agent demands, on disk and after install.sh.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { APP_IDS, installScaffold, planScaffold, ScaffoldPlan, writeScaffold } from '../../server/src/engine/scaffold';
import { checkScript } from '../../server/src/engine/scripts';
import { commandExists, removeDir, tempDir } from './scaffoldTestSupport';

const PARAMS = { services: ['nginx.service'], containers: ['web'] };
const hasShellCheck = commandExists('shellcheck');

function errorsOf(configPath: string, root?: string): string[] {
  const result = analyzeConfigFile(configPath, root ? { root } : {});
  return result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => `${diagnostic.code}: ${diagnostic.message}`);
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o7777;
}

describe('scaffold templates', () => {
  let dir: string;
  const plans = new Map<string, ScaffoldPlan>();

  // Every application but generic on one VM: the combined pre- and post-script.
  const ALL = APP_IDS.filter((app) => app !== 'generic').join('+');

  before(async () => {
    dir = tempDir();
    for (const app of [...APP_IDS, ALL]) {
      const plan = planScaffold(app.split('+'), PARAMS);
      plans.set(app, plan);
      await writeScaffold(plan, path.join(dir, app));
    }
  });
  after(() => removeDir(dir));

  for (const app of [...APP_IDS, ALL]) {
    describe(app, () => {
      it('writes the config (600), two .sh scripts and install.sh (700)', () => {
        const plan = plans.get(app);
        assert.ok(plan);
        const roles = plan.files.map((file) => file.role);
        for (const role of ['config', 'pre', 'post', 'install'] as const) assert.equal(roles.filter((candidate) => candidate === role).length, 1, role);
        for (const file of plan.files) {
          const onDisk = path.join(dir, app, file.name);
          const expected = file.role === 'config' || file.role === 'options' ? 0o600 : 0o700;
          assert.equal(modeOf(onDisk), expected, `${file.name} mode`);
          assert.equal(fs.readFileSync(onDisk, 'utf8'), file.content);
          if (file.role === 'pre' || file.role === 'post') assert.match(file.name, /\.sh$/);
        }
        assert.deepEqual(fs.readdirSync(path.join(dir, app)).sort(), plan.files.map((file) => file.name).sort(), 'no temp file is left');
      });

      it('every script passes sh -n under dash', () => {
        for (const file of plans.get(app)?.files ?? []) {
          if (!file.name.endsWith('.sh')) continue;
          const result = spawnSync('dash', ['-n', path.join(dir, app, file.name)], { encoding: 'utf8' });
          assert.equal(result.status, 0, `${file.name}: ${result.stderr}`);
        }
      });

      it('every script is ShellCheck-clean in sh mode', { skip: hasShellCheck ? false : 'shellcheck is not installed (apt-get install shellcheck)' }, () => {
        for (const file of plans.get(app)?.files ?? []) {
          if (!file.name.endsWith('.sh')) continue;
          const result = spawnSync('shellcheck', ['-s', 'sh', '-f', 'gcc', path.join(dir, app, file.name)], { encoding: 'utf8' });
          assert.equal(result.stdout + result.stderr, '', `${file.name} has ShellCheck findings`);
          assert.equal(result.status, 0);
        }
      });

      it('scripts send stdout and stderr to the log file and keep no placeholder', () => {
        // The runs under dash (scaffoldStandIns, test/db) assert that nothing reaches the pipes.
        for (const file of plans.get(app)?.files ?? []) {
          if (file.role !== 'pre' && file.role !== 'post') continue;
          assert.ok(file.content.includes('exec >>"$log_file" 2>&1 </dev/null'), 'stdout and stderr go to the log');
          assert.doesNotMatch(file.content, /\{\{[A-Z_]+\}\}|@[A-Z_]+@|<[A-Z_]+>/, 'no placeholder is left');
        }
      });

      it('the extension\'s own script checks find nothing in the pre- and post-script', () => {
        for (const file of plans.get(app)?.files ?? []) {
          if (file.role !== 'pre' && file.role !== 'post') continue;
          assert.deepEqual(checkScript(Buffer.from(file.content)).map((diagnostic) => `${diagnostic.code} line ${diagnostic.range.start.line + 1}`), [], file.name);
        }
      });

      it('the written config checks clean', () => {
        assert.deepEqual(errorsOf(path.join(dir, app, 'VMSnapshotScriptPluginConfig.json')), []);
      });

      it('installed into a root folder, modes and owners are what the agent demands and the check is clean', () => {
        const plan = plans.get(app);
        assert.ok(plan);
        const root = path.join(dir, `${app}-root`);
        const result = installScaffold(plan, root);
        assert.ok(result.installed.length >= 3);
        const configPath = path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json');
        assert.equal(modeOf(configPath), 0o600);
        for (const file of plan.files.filter((candidate) => candidate.role === 'pre' || candidate.role === 'post')) {
          assert.equal(modeOf(path.join(root, file.vmPath ?? '')), 0o700);
          assert.equal(fs.statSync(path.join(root, file.vmPath ?? '')).uid, 0);
        }
        assert.deepEqual(errorsOf(configPath, root), []);
      });
    });
  }
});

describe('install.sh', () => {
  it('deploys with root as owner and modes 600/700, keeps an existing options file, and backs up a changed config', { skip: process.getuid?.() === 0 ? false : 'needs root' }, async () => {
    const dir = tempDir();
    try {
      const plan = planScaffold('mysql', { timeoutSeconds: 30 });
      const out = path.join(dir, 'out');
      await writeScaffold(plan, out);
      const root = path.join(dir, 'root');
      const options = path.join(root, 'etc/azure/vmsnapshot/mysql.cnf');
      fs.mkdirSync(path.dirname(options), { recursive: true });
      fs.writeFileSync(options, '[client]\nuser=backup\n', { mode: 0o600 });
      const configPath = path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json');
      fs.writeFileSync(configPath, '{"preScriptLocation": "/old", "postScriptLocation": "/old"}', { mode: 0o600 });

      // As the agent's sh would read it: dash.
      const result = spawnSync('dash', [path.join(out, 'install.sh'), root], { encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      assert.equal(fs.readFileSync(options, 'utf8'), '[client]\nuser=backup\n', 'the credentials file is never replaced');
      assert.equal(fs.readFileSync(configPath, 'utf8'), plan.files[0].content);
      assert.equal(modeOf(configPath), 0o600);
      const backups = fs.readdirSync(path.dirname(configPath)).filter((name) => name.startsWith('VMSnapshotScriptPluginConfig.json.bak-'));
      assert.equal(backups.length, 1, 'the previous config is kept aside');
      for (const name of ['mysql-pre.sh', 'mysql-post.sh']) {
        const file = path.join(root, 'etc/azure/vmsnapshot', name);
        assert.equal(modeOf(file), 0o700);
        assert.equal(fs.statSync(file).uid, 0);
      }
      assert.deepEqual(errorsOf(configPath, root), []);
      assert.deepEqual(fs.readdirSync(path.join(root, 'etc/azure/vmsnapshot')).filter((name) => name.includes('tmp')), [], 'no temp file is left');
    } finally {
      removeDir(dir);
    }
  });
});
