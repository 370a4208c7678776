import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, codeOf, fixtureUri, open, screenshot, summarize, waitForDiagnostics } from './helpers';

/** The fixture `etcazure` is a copy of a VM's /etc/azure with all four files; workload.conf names mysql on line 3. */
const file = (name: string) => fixtureUri(`etcazure/etc/azure/${name}`);

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.map((lens) => lens.command?.title ?? '');
}

describe('the agent\'s other files in /etc/azure', () => {
  before(activateExtension);
  after(closeAll);

  it('opens each file in its own language and shows the path the agent takes on each', async () => {
    const expected: Array<[string, string]> = [
      ['VMSnapshotPluginHost.conf', 'vmsnapshot-pluginhost'],
      ['vmbackup.conf', 'vmsnapshot-vmbackup'],
      ['workload.conf', 'vmsnapshot-workload'],
    ];
    for (const [name, languageId] of expected) {
      const editor = await open(file(name));
      assert.equal(editor.document.languageId, languageId, name);
      const titles = await lensTitles(editor.document.uri);
      assert.match(titles[0] ?? '', /workload path .*workload_name = mysql on line 3/, `${name}: ${JSON.stringify(titles)}`);
    }
    const host = await lensTitles(file('VMSnapshotPluginHost.conf'));
    assert.ok(host.some((title) => /Not used by the agent: workload\.conf/.test(title)), JSON.stringify(host));
    await screenshot('agent-files-path', '.monaco-editor .codelens-decoration');
  });

  it('tells that the script config is not used, and shows the traps of vmbackup.conf in the Problems', async () => {
    const config = await open(file('VMSnapshotScriptPluginConfig.json'));
    const ignored = await waitForDiagnostics(config.document.uri, (found) => found.some((d) => codeOf(d) === 'ConfigIgnoredByAgent'), 'ConfigIgnoredByAgent on the script config');
    assert.match(ignored.find((d) => codeOf(d) === 'ConfigIgnoredByAgent')!.message, /mysql/);
    const vmbackup = await open(file('vmbackup.conf'));
    const found = await waitForDiagnostics(vmbackup.document.uri, (diagnostics) => diagnostics.some((d) => codeOf(d) === 'MountsToSkipNotMatched'), 'MountsToSkipNotMatched');
    assert.equal(found.length, 1, summarize(found));
    const completions = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', vmbackup.document.uri, new vscode.Position(3, 0));
    assert.ok(completions.items.some((item) => item.label === 'SafeFreezeWaitInSeconds'), 'keys of [SnapshotThread]');
  });
});
