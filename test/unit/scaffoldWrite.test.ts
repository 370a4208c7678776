// The writer never loses work: no overwrite without force or a yes, atomic files with their final
// modes, no path traversal, no writing through a planted symbolic link.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { planScaffold, ScaffoldError, ScaffoldPlan, writeFileAtomic, writeScaffold } from '../../server/src/engine/scaffold';
import { removeDir, tempDir } from './scaffoldTestSupport';

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = tempDir('vmsnapshot-write-');
    try {
      await run(dir);
    } finally {
      removeDir(dir);
    }
  };
}

function planWith(name: string): ScaffoldPlan {
  return { app: 'generic', apps: ['generic'], files: [{ name, content: 'x\n', mode: 0o600, role: 'config' }], preParams: [], postParams: [], timeoutSeconds: 60 };
}

describe('writeScaffold', () => {
  it('creates the folder and every file with its final mode, whatever the umask', withDir(async (dir) => {
    const previous = process.umask(0o000);
    try {
      const out = path.join(dir, 'a/b');
      const result = await writeScaffold(planScaffold('generic'), out);
      assert.equal(result.written.length, 4);
      for (const file of result.written) {
        const mode = fs.statSync(file).mode & 0o777;
        assert.ok(mode === 0o600 || mode === 0o700, `${file}: ${mode.toString(8)}`);
      }
    } finally {
      process.umask(previous);
    }
  }));

  it('refuses to overwrite without force or confirmation, and writes nothing at all then', withDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'generic-pre.sh'), 'my work\n');
    await assert.rejects(writeScaffold(planScaffold('generic'), dir), (error: unknown) => error instanceof ScaffoldError && error.reason === 'exists');
    assert.equal(fs.readFileSync(path.join(dir, 'generic-pre.sh'), 'utf8'), 'my work\n');
    assert.deepEqual(fs.readdirSync(dir), ['generic-pre.sh'], 'no other file was written either');
  }));

  it('asks once with the existing names; "no" keeps everything, "yes" replaces', withDir(async (dir) => {
    fs.writeFileSync(path.join(dir, 'generic-pre.sh'), 'my work\n');
    const asked: string[][] = [];
    const declined = await writeScaffold(planScaffold('generic'), dir, { confirmOverwrite: (existing) => (asked.push(existing), false) });
    assert.equal(declined.cancelled, true);
    assert.deepEqual(asked, [['generic-pre.sh']]);
    assert.equal(fs.readFileSync(path.join(dir, 'generic-pre.sh'), 'utf8'), 'my work\n');

    const accepted = await writeScaffold(planScaffold('generic'), dir, { confirmOverwrite: async () => true });
    assert.equal(accepted.cancelled, false);
    assert.deepEqual(accepted.replaced, [path.join(dir, 'generic-pre.sh')]);
    assert.notEqual(fs.readFileSync(path.join(dir, 'generic-pre.sh'), 'utf8'), 'my work\n');
  }));

  it('--force replaces without asking', withDir(async (dir) => {
    await writeScaffold(planScaffold('generic'), dir);
    const result = await writeScaffold(planScaffold('generic', { timeoutSeconds: 90 }), dir, { force: true, confirmOverwrite: () => assert.fail('must not ask') });
    assert.equal(result.replaced.length, 4);
    assert.match(fs.readFileSync(path.join(dir, 'VMSnapshotScriptPluginConfig.json'), 'utf8'), /"timeoutInSeconds": 90/);
  }));

  for (const name of ['../escape.json', 'a/b.sh', '/etc/passwd', '..', '.', '', 'x\0y']) {
    it(`refuses the file name ${JSON.stringify(name)}`, withDir(async (dir) => {
      await assert.rejects(writeScaffold(planWith(name), path.join(dir, 'out')), (error: unknown) => error instanceof ScaffoldError && error.reason === 'unsafeName');
      assert.equal(fs.existsSync(path.join(dir, 'escape.json')), false);
    }));
  }

  it('replacing a symbolic link replaces the link, never the file it points to', withDir(async (dir) => {
    const victim = path.join(dir, 'victim');
    fs.writeFileSync(victim, 'precious\n', { mode: 0o644 });
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.symlinkSync(victim, path.join(out, 'generic-pre.sh'));
    await writeScaffold(planScaffold('generic'), out, { force: true });
    assert.equal(fs.readFileSync(victim, 'utf8'), 'precious\n');
    assert.equal(fs.lstatSync(path.join(out, 'generic-pre.sh')).isFile(), true);
    assert.equal(fs.statSync(victim).mode & 0o777, 0o644);
  }));

  it('a dangling symbolic link counts as an existing file: not followed to create its target', withDir(async (dir) => {
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    const target = path.join(dir, 'created-through-link');
    fs.symlinkSync(target, path.join(out, 'generic-post.sh'));
    await assert.rejects(writeScaffold(planScaffold('generic'), out), (error: unknown) => error instanceof ScaffoldError && error.reason === 'exists');
    await writeScaffold(planScaffold('generic'), out, { force: true });
    assert.equal(fs.existsSync(target), false);
  }));

  it('a folder where a file should go is an error, and an output path that is a file too', withDir(async (dir) => {
    fs.mkdirSync(path.join(dir, 'generic-pre.sh'));
    await assert.rejects(writeScaffold(planScaffold('generic'), dir, { force: true }), (error: unknown) => error instanceof ScaffoldError && error.reason === 'targetIsFolder');
    const file = path.join(dir, 'plain');
    fs.writeFileSync(file, '');
    await assert.rejects(writeScaffold(planScaffold('generic'), file), (error: unknown) => error instanceof ScaffoldError && error.reason === 'notAFolder');
  }));

  it('leaves no temporary file behind, also when a write fails', withDir(async (dir) => {
    await writeScaffold(planScaffold('generic'), dir);
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.startsWith('.')), []);
    // A file that appeared after the existence check: without permission to replace, link()
    // refuses it instead of silently overwriting.
    const late = path.join(dir, 'late.json');
    fs.writeFileSync(late, 'late\n');
    assert.throws(() => writeFileAtomic(late, 'new\n', 0o600, false), /EEXIST/);
    assert.equal(fs.readFileSync(late, 'utf8'), 'late\n');
    assert.deepEqual(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp')), []);
  }));
});
