/**
 * `vmsnapshot/vmOwnConfig` from the bundled server over stdio: the decision behind the editor's
 * `vmsnapshot.configIsVmOwn` (Rehearse shown and run only for the config the agent on this machine reads).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { fileUri, withClient } from './lspClient';

const AGENT_CONFIG = '/etc/azure/VMSnapshotScriptPluginConfig.json';

interface Answer {
  vmOwn: boolean;
  agentConfig: string;
  agentConfigExists: boolean;
}

test('vmsnapshot/vmOwnConfig: a workspace copy is not the VM\'s own; the agent\'s config on this machine is', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-lsp-vmown-'));
  try {
    const copy = path.join(folder, 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json');
    fs.mkdirSync(path.dirname(copy), { recursive: true });
    fs.writeFileSync(copy, '{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"}\n', { mode: 0o600 });
    // Whatever this machine holds: no host conf here names another config, so the agent reads /etc/azure's.
    const agentHas = fs.existsSync(AGENT_CONFIG) && !fs.existsSync('/etc/azure/VMSnapshotPluginHost.conf');
    await withClient({ pullDiagnostics: true }, async (client) => {
      const forCopy = await client.request<Answer>('vmsnapshot/vmOwnConfig', { uri: fileUri(copy) });
      assert.equal(forCopy.vmOwn, false);
      if (!fs.existsSync('/etc/azure/VMSnapshotPluginHost.conf')) assert.equal(forCopy.agentConfig, AGENT_CONFIG);
      assert.equal(forCopy.agentConfigExists, fs.existsSync(forCopy.agentConfig));
      const forAgents = await client.request<Answer>('vmsnapshot/vmOwnConfig', { uri: fileUri(forCopy.agentConfig) });
      assert.equal(forAgents.vmOwn, forCopy.agentConfigExists || agentHas);
      // Not a file on this machine (an untitled editor, another scheme): never the VM's own.
      assert.equal((await client.request<Answer>('vmsnapshot/vmOwnConfig', { uri: 'untitled:Untitled-1' })).vmOwn, false);
      assert.equal((await client.request<Answer>('vmsnapshot/vmOwnConfig', {})).vmOwn, false);
    });
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
