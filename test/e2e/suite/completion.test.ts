import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, configUri, open, screenshot } from './helpers';

/** The fixture `completion/`: three keys present, two without a value, and a blank line before the closing brace. */
const uri = () => configUri('completion');

async function complete(position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri(), position, trigger);
  return list.items;
}

function labels(items: vscode.CompletionItem[]): string[] {
  return items.map((item) => (typeof item.label === 'string' ? item.label : item.label.label));
}

/** The language server's values, without the snippets VS Code adds everywhere. */
function values(items: vscode.CompletionItem[]): string[] {
  return labels(items.filter((item) => item.kind === vscode.CompletionItemKind.Value));
}

describe('completion', () => {
  before(activateExtension);
  after(closeAll);

  it('lists the missing keys at the top level, required ones first', async () => {
    const editor = await open(uri());
    const position = new vscode.Position(4, 4);
    const items = await complete(position);
    const keys = labels(items.filter((item) => item.kind === vscode.CompletionItemKind.Property));
    for (const key of ['postScriptLocation', 'pluginName', 'timeoutInSeconds', 'continueBackupOnFailure', 'appName']) {
      assert.ok(keys.includes(key), `${key} offered in ${keys.join(', ')}`);
    }
    for (const present of ['preScriptLocation', 'fsFreezeEnabled', 'ScriptsExecutionPollTimeSeconds']) assert.ok(!keys.includes(present), `${present} is already there`);
    const sorted = [...items].sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
    assert.equal(labels(sorted)[0], 'postScriptLocation', 'the missing required key comes first');

    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await screenshot('completion-keys', '.editor-widget.suggest-widget.visible .monaco-list-row');
    await vscode.commands.executeCommand('hideSuggestWidget');
  });

  it('offers true and false for a boolean value', async () => {
    const document = (await open(uri())).document;
    const position = document.positionAt(document.getText().indexOf('"fsFreezeEnabled": ') + '"fsFreezeEnabled": '.length);
    const items = await complete(position);
    assert.deepEqual(values(items).sort(), ['false', 'true']);
    // Everything VS Code would list there, contributed snippets included: no key, no key snippet (issue 16, item 3).
    const keys = items.filter((item) => item.kind === vscode.CompletionItemKind.Property || item.kind === vscode.CompletionItemKind.Snippet);
    assert.deepEqual(labels(keys), []);
  });

  it('offers the poll times the agent accepts, 1 to 5 seconds', async () => {
    const document = (await open(uri())).document;
    const position = document.positionAt(document.getText().indexOf('"ScriptsExecutionPollTimeSeconds": ') + '"ScriptsExecutionPollTimeSeconds": '.length);
    assert.deepEqual(values(await complete(position)), ['1', '2', '3', '4', '5']);
  });

  it('lists the files of the folder typed in a script path', async () => {
    const document = (await open(uri())).document;
    const position = document.positionAt(document.getText().indexOf('/etc/azure/"') + '/etc/azure/'.length);
    const files = (await complete(position, '/')).filter((item) => item.kind === vscode.CompletionItemKind.File);
    assert.deepEqual(labels(files).sort(), ['VMSnapshotScriptPluginConfig.json', 'post-script.sh', 'pre-script.sh']);
  });
});
