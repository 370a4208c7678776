/**
 * Which config is "the VM's own", the only one the editor's Rehearse command runs: the file the
 * agent on the machine reads (host conf's plugin 0, else /etc/azure's), through any symlink; never
 * a copy. Real files in VM trees.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { agentScriptConfig, isAgentScriptConfig } from '../../server/src/engine/agentFiles/configPath';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { CONFIG_PATH as CONFIG, SHIPPED_HOST_CONF, VmRoot } from '../helpers/vmRoot';
const roots: VmRoot[] = [];
after(() => {
  for (const root of roots) root.remove();
});

function realPath(file: string): string | undefined {
  try {
    return fs.realpathSync(file);
  } catch {
    return undefined;
  }
}

function vm(): VmRoot {
  const root = new VmRoot();
  roots.push(root);
  root.writeValidSetup();
  return root;
}

const isVmOwn = (root: VmRoot, file: string) => isAgentScriptConfig(file, nodeFileSystem, realPath, root.dir);

describe('the VM\'s own script config', () => {
  it('/etc/azure\'s config is the agent\'s; a copy in a workspace is not', () => {
    const root = vm();
    assert.equal(isVmOwn(root, root.local(CONFIG)), true);
    const copy = path.join(root.dir, 'home', 'me', 'project', 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.copyFileSync(root.local(CONFIG), copy);
    assert.equal(isVmOwn(root, copy), false);
  });

  it('through a symlink to it, it is still the agent\'s (the real path counts)', () => {
    const root = vm();
    root.symlink('/root/config.json', root.local(CONFIG));
    assert.equal(isVmOwn(root, root.local('/root/config.json')), true);
  });

  it('a host conf that names another config: that one is the agent\'s, /etc/azure\'s is not', () => {
    const root = vm();
    root.write('/opt/app/backup.json', { content: '{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"}' });
    root.writeHostConf(SHIPPED_HOST_CONF.replace(`pluginConfigPath0: ${CONFIG}`, 'pluginConfigPath0: /opt/app/backup.json'));
    assert.deepEqual(agentScriptConfig(nodeFileSystem, root.dir), { vmPath: '/opt/app/backup.json', localPath: root.local('/opt/app/backup.json') });
    assert.equal(isVmOwn(root, root.local('/opt/app/backup.json')), true);
    assert.equal(isVmOwn(root, root.local(CONFIG)), false);
  });

  it('no config on the machine: nothing is the VM\'s own', () => {
    const root = new VmRoot();
    roots.push(root);
    root.mkdir('/etc/azure');
    assert.equal(isVmOwn(root, root.local(CONFIG)), false);
  });
});
