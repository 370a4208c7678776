/**
 * `dist/server.js` copied alone to an empty folder, as a user copies the CLI to a VM without the
 * package: `--version`, `scaffold` and `check` run, in English and in Portuguese, with nothing
 * read from beside it (schemas, l10n and version are inside the bundle).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');

describe('dist/server.js alone in an empty folder', () => {
  let dir: string;
  let cli: string;
  const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 20_000, env: { ...process.env, LANG: 'C', LC_ALL: '', NO_COLOR: '1' } });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-alone-'));
    cli = path.join(dir, 'vmsnapshot.js');
    fs.copyFileSync(path.join(REPO_ROOT, 'dist', 'server.js'), cli);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('knows its version', () => {
    const version = run('--version');
    assert.equal(version.status, 0, version.stderr);
    assert.equal(version.stdout.trim(), (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });

  it('scaffolds, and checks what it wrote, in English and in Portuguese', () => {
    const out = path.join(dir, 'out');
    const scaffold = run('scaffold', '--app', 'postgresql', '--app', 'systemd', '--service', 'app.service', '--out', out);
    assert.equal(scaffold.status, 0, scaffold.stderr);
    assert.ok(fs.existsSync(path.join(out, 'vmsnapshot-pre.sh')));
    const check = run('check', '--format', 'json', '--file-checks', 'off', path.join(out, 'VMSnapshotScriptPluginConfig.json'));
    assert.equal(check.status, 0, check.stderr);
    assert.equal((JSON.parse(check.stdout) as { files: { agent: { code: number } }[] }).files[0].agent.code, 0);
    const portuguese = run('check', '--locale', 'pt-br', '--file-checks', 'off', path.join(out, 'VMSnapshotScriptPluginConfig.json'));
    assert.equal(portuguese.status, 0, portuguese.stderr);
    assert.match(portuguese.stdout, /resultado do agente/);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['out', 'vmsnapshot.js'], 'nothing else was needed, nothing else was written');
  });
});
