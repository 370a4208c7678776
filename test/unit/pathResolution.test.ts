import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine/oneShot';
import { inferPathContext, resolveVmPath } from '../../server/src/engine/paths/pathResolution';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';

const CONFIG = JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/opt/app/post.sh', timeoutInSeconds: 30 });

/** A folder that is not laid out like the VM's `/` (a VM tree is a VmRoot). */
function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-paths-'));
}

function writeFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe('where the VM\'s paths are looked for', () => {
  it('on the VM itself, paths are used as they are', () => {
    const context = inferPathContext('/etc/azure/VMSnapshotScriptPluginConfig.json', undefined);
    assert.equal(context.kind, 'vm');
    assert.equal(resolveVmPath('/etc/azure/pre.sh', context), '/etc/azure/pre.sh');
  });

  it('--root makes a folder stand for /', () => {
    const context = inferPathContext('/anything.json', '/mnt/disk');
    assert.equal(context.kind, 'root');
    assert.equal(resolveVmPath('/etc/azure/pre.sh', context), '/mnt/disk/etc/azure/pre.sh');
    assert.equal(resolveVmPath('pre.sh', context), undefined, 'a relative path resolves nowhere');
  });

  it('a workspace copy laid out as <X>/etc/azure/… resolves under <X>, and modes are not judged', () => {
    const vm = new VmRoot();
    try {
      // 644 as an editor saves them: the point is that these modes are not judged.
      const configPath = vm.write(CONFIG_PATH, { content: CONFIG, mode: 0o644 });
      vm.write('/etc/azure/pre.sh', { content: 'exit 0\n', mode: 0o644 });
      const missingPost = analyzeConfigFile(configPath);
      assert.equal(missingPost.pathContext.kind, 'workspace');
      assert.equal(missingPost.outcome.code, 303);
      assert.ok(missingPost.diagnostics.some((d) => d.message.includes(vm.local('/opt/app/post.sh'))), 'the message says where it looked');
      vm.write('/opt/app/post.sh', { content: 'exit 0\n', mode: 0o644 });
      assert.equal(analyzeConfigFile(configPath).outcome.code, 0);
    } finally {
      vm.remove();
    }
  });

  it('path mappings send VM folders to workspace folders, longest prefix first', () => {
    const dir = tempDir();
    try {
      const configPath = path.join(dir, 'deploy/VMSnapshotScriptPluginConfig.json');
      writeFile(configPath, CONFIG);
      writeFile(path.join(dir, 'deploy/azure/pre.sh'), 'exit 0\n');
      writeFile(path.join(dir, 'app/post.sh'), 'exit 0\n');
      const mappings = { '/etc/azure': path.join(dir, 'deploy/azure'), '/opt': path.join(dir, 'elsewhere'), '/opt/app': path.join(dir, 'app') };
      const result = analyzeConfigFile(configPath, { pathMappings: mappings });
      assert.equal(result.pathContext.kind, 'mapped');
      assert.deepEqual(result.scripts.map((script) => script.localPath), [path.join(dir, 'deploy/azure/pre.sh'), path.join(dir, 'app/post.sh')]);
      assert.equal(result.outcome.code, 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('otherwise scripts are looked for by file name next to the config', () => {
    const dir = tempDir();
    try {
      const configPath = path.join(dir, 'VMSnapshotScriptPluginConfig.json');
      writeFile(configPath, CONFIG);
      writeFile(path.join(dir, 'pre.sh'), 'exit 0\n');
      const result = analyzeConfigFile(configPath);
      assert.equal(result.pathContext.kind, 'sibling');
      assert.equal(result.outcome.code, 303);
      const notFound = result.diagnostics.find((d) => d.code === 'Post-ScriptNotFound');
      assert.match(notFound?.message ?? '', /next to the config/);
      assert.equal(notFound?.data?.localPath, path.join(dir, 'post.sh'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
