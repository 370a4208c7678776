/**
 * The disk changes under a config while it is edited: the server looks at the agent's files
 * and scripts at most once a second while the user types, and at once when the editor says a
 * file changed or a document is opened. What the user fixes in a terminal shows up without
 * reopening anything.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CONFIG_PATH, configText, VmRoot } from '../helpers/vmRoot';
import { LspClient } from './lspClient';

let vm: VmRoot;
let client: LspClient;

before(async () => {
  vm = new VmRoot();
  client = await LspClient.start({ pullDiagnostics: true });
});

after(async () => {
  await client.shutdown();
  vm.remove();
});

const codes = async (uri: string): Promise<string[]> => (await client.pullDiagnostics(uri)).map((diagnostic) => String(diagnostic.code));

describe('scripts created on disk while the config is edited', () => {
  test('a watched-file event makes the next keystroke see the new script at once', async () => {
    const text = configText('/opt/backup/pre.sh', '/opt/backup/post.sh');
    vm.write(CONFIG_PATH, { content: text });
    vm.writeScripts('/opt/backup/post.sh');
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    assert.ok((await codes(uri)).includes('Pre-ScriptNotFound'));

    vm.writeScripts('/opt/backup/pre.sh');
    await client.changedOnDisk(vm.uri('/opt/backup/pre.sh'));
    await client.change(uri, `${text} `);
    assert.ok(!(await codes(uri)).includes('Pre-ScriptNotFound'), 'the script created before the event is found');
    await client.close(uri);
  });

  test('without any event, a keystroke a second later sees the disk of now', async () => {
    const text = configText('/srv/app/pre.sh', '/srv/app/post.sh');
    vm.write(CONFIG_PATH, { content: text });
    vm.writeScripts('/srv/app/pre.sh');
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    assert.ok((await codes(uri)).includes('Post-ScriptNotFound'));

    // A script outside the workspace (the VM's own /srv): no editor watches it.
    vm.writeScripts('/srv/app/post.sh');
    await sleep(1100);
    await client.change(uri, `${text} `);
    assert.ok(!(await codes(uri)).includes('Post-ScriptNotFound'), 'the script created on disk is found after the interval');
    await client.close(uri);
  });

  test('opening a document looks at the disk again', async () => {
    const text = configText('/data/pre.sh', '/data/post.sh');
    vm.write(CONFIG_PATH, { content: text });
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    assert.ok((await codes(uri)).includes('Pre-ScriptNotFound'));
    await client.close(uri);

    vm.writeScripts('/data/pre.sh', '/data/post.sh');
    await client.open(uri, text);
    assert.deepEqual((await codes(uri)).filter((code) => code.endsWith('NotFound')), []);
    await client.close(uri);
  });
});
