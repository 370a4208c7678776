/**
 * Pulled diagnostics carry a result id; an editor that sends back the id of the report it holds
 * hears "unchanged" while the diagnostics read the same, and gets them in full the moment they
 * differ — also when the disk, not the text, changed them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DocumentDiagnosticReport } from 'vscode-languageserver-protocol';
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

const POST = '/opt/app/post.sh';

function full(report: DocumentDiagnosticReport): { resultId: string; codes: string[] } {
  assert.equal(report.kind, 'full');
  assert.ok(report.kind === 'full' && report.resultId, 'a full report carries a result id');
  return { resultId: report.resultId, codes: report.items.map((item) => String(item.code)) };
}

describe('result ids of pulled diagnostics', () => {
  test('unchanged while a keystroke leaves the diagnostics as they were, full once they differ', async () => {
    vm.writeScripts(POST);
    const text = configText('/opt/app/pre.sh', POST);
    vm.write(CONFIG_PATH, { content: text });
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    const first = full(await client.pullReport(uri));
    assert.deepEqual(first.codes, ['Pre-ScriptNotFound']);

    await client.change(uri, `${text} `);
    assert.deepEqual(await client.pullReport(uri, first.resultId), { kind: 'unchanged', resultId: first.resultId });

    await client.change(uri, configText(POST, POST));
    const fixed = full(await client.pullReport(uri, first.resultId));
    assert.deepEqual(fixed.codes, []);
    assert.notEqual(fixed.resultId, first.resultId);

    await client.change(uri, text);
    const again = full(await client.pullReport(uri, fixed.resultId));
    assert.deepEqual(again.codes, ['Pre-ScriptNotFound'], 'the same diagnostics as the first report, in full: the editor no longer holds them');
    await client.close(uri);
  });

  test('a script created on disk changes the report the editor holds', async () => {
    const text = configText('/opt/disk/pre.sh', POST);
    vm.write(CONFIG_PATH, { content: text });
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    const missing = full(await client.pullReport(uri));
    assert.deepEqual(missing.codes, ['Pre-ScriptNotFound']);

    vm.writeScripts('/opt/disk/pre.sh');
    await client.changedOnDisk(vm.uri('/opt/disk/pre.sh'));
    const found = full(await client.pullReport(uri, missing.resultId));
    assert.deepEqual(found.codes, []);
    await client.close(uri);
  });

  test('a reopened document gets its report in full, whatever id the editor still has', async () => {
    const text = configText('/opt/app/pre.sh', POST);
    vm.write(CONFIG_PATH, { content: text });
    const uri = vm.uri(CONFIG_PATH);
    await client.open(uri, text);
    const before = full(await client.pullReport(uri));
    await client.close(uri);
    await client.open(uri, text);
    const reopened = full(await client.pullReport(uri, before.resultId));
    assert.deepEqual(reopened.codes, before.codes);
    await client.close(uri);
  });
});
