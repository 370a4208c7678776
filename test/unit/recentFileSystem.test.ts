/** The server's view of the disk while the user types: answers at most so old, looked at again when told. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { recentFileSystem } from '../../server/src/engine/fs/recentFileSystem';
import { ScriptCode } from '../../server/src/engine/codes';
import { createEngine } from '../../server/src/engine/service/engine';
import { EXIT_0, VmRoot } from '../helpers/vmRoot';

describe('recentFileSystem', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-recent-'));
  after(() => fs.rmSync(folder, { recursive: true, force: true }));
  const script = path.join(folder, 'pre.sh');
  let clock = 0;
  const disk = recentFileSystem(nodeFileSystem, 1000, () => clock);
  const modeOf = (file: string): number | undefined => {
    const info = disk.stat(file);
    return info && 'mode' in info ? info.mode : undefined;
  };

  it('answers from what it saw while the answer is younger than the interval', () => {
    fs.writeFileSync(script, 'exit 0\n', { mode: 0o700 });
    fs.chmodSync(script, 0o700);
    assert.equal(modeOf(script), 0o700);
    fs.chmodSync(script, 0o755);
    clock = 999;
    assert.equal(modeOf(script), 0o700, 'the chmod is not seen within the interval');
    assert.deepEqual(disk.readDirectory(folder), ['pre.sh']);
    fs.writeFileSync(path.join(folder, 'post.sh'), 'exit 0\n');
    assert.deepEqual(disk.readDirectory(folder), ['pre.sh'], 'nor is a new file in a listed folder');
  });

  it('looks again once the interval has passed', () => {
    clock = 1001;
    assert.equal(modeOf(script), 0o755);
    assert.deepEqual(disk.readDirectory(folder), ['post.sh', 'pre.sh']);
  });

  it('looks again at once when told the disk changed', () => {
    fs.rmSync(script);
    assert.equal(modeOf(script), 0o755, 'still the answer of this interval');
    disk.forget();
    assert.equal(disk.stat(script), undefined);
    assert.equal(disk.lstat(script), undefined);
  });

  it('never keeps file contents: a read always sees the disk', () => {
    const post = path.join(folder, 'post.sh');
    fs.writeFileSync(post, 'exit 1\n');
    assert.equal(Buffer.from(disk.readFile(post, 100) as Uint8Array).toString(), 'exit 1\n');
  });
});

describe('an engine on a recent view of the disk', () => {
  const vm = new VmRoot();
  after(() => vm.remove());
  let clock = 0;
  const disk = recentFileSystem(nodeFileSystem, 1000, () => clock);
  const engine = createEngine({ fileSystem: disk });
  const configPath = vm.writeValidSetup();
  const analyze = () => engine.analyzeText(fs.readFileSync(configPath, 'utf8'), { configPath });
  const ignored = (result: ReturnType<typeof analyze>) => result.diagnostics.some((diagnostic) => diagnostic.code === 'ConfigIgnoredByAgent');

  it('judges /etc/azure once per view: the same judgement while the view lasts', () => {
    const first = analyze();
    assert.equal(first.outcome.code, 0);
    assert.equal(analyze().agentFiles, first.agentFiles, 'kept, not judged again');
  });

  it("reads the scripts' behaviour once per view: a script rewritten meanwhile counts from the next view on", () => {
    const lockCodes = (result: ReturnType<typeof analyze>) =>
      result.diagnostics.filter((diagnostic) => diagnostic.file === vm.local('/etc/azure/pre.sh') && diagnostic.code === ScriptCode.lockReleasedAtOnce);
    const first = analyze();
    assert.deepEqual(lockCodes(first), []);
    vm.write('/etc/azure/pre.sh', { content: '#!/bin/sh\nmysql -u root -e "FLUSH TABLES WITH READ LOCK;"\nexit 0\n', mode: 0o700 });
    const within = analyze();
    assert.deepEqual(lockCodes(within), [], 'within the view, the old script is what the rules read');
    disk.forget();
    assert.equal(lockCodes(analyze()).length, 1, 'the one-shot lock is found once the disk is looked at again');
    vm.write('/etc/azure/pre.sh', { content: EXIT_0, mode: 0o700 });
    disk.forget();
    assert.deepEqual(lockCodes(analyze()), []);
  });

  it('a workload.conf written meanwhile counts from the next view on', () => {
    vm.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = postgres\nlinux_user = postgres\n', mode: 0o644 });
    assert.equal(ignored(analyze()), false, 'within the view, the file is not seen yet');
    disk.forget();
    assert.equal(ignored(analyze()), true, 'the workload path now makes the agent ignore the config');
    fs.rmSync(vm.local('/etc/azure/workload.conf'));
    clock += 1001;
    assert.equal(ignored(analyze()), false, 'gone again once the view expired');
  });
});
