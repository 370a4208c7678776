import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, configUri, fixtureUri, open, positionOf, waitFor } from './helpers';

describe('document links', () => {
  before(activateExtension);
  after(closeAll);

  it('links preScriptLocation to the script, and following it opens the script', async () => {
    const editor = await open(configUri('good'));
    const script = fixtureUri('good/etc/azure/pre-script.sh');
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const link = links.find((candidate) => candidate.target?.fsPath === script.fsPath);
    assert.ok(link, `a link to pre-script.sh among ${links.map((l) => l.target?.toString()).join(', ')}`);
    assert.equal(editor.document.getText(link.range), '/etc/azure/pre-script.sh');

    // Follow it as a person would (Ctrl+click resolves to the same command at the cursor).
    const inside = positionOf(editor.document, '/etc/azure/pre-script.sh', 3);
    editor.selection = new vscode.Selection(inside, inside);
    const opened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.fsPath === script.fsPath ? active : undefined;
    }, 'pre-script.sh to open');
    await vscode.commands.executeCommand('editor.action.openLink');
    const scriptEditor = await opened;
    assert.equal(scriptEditor.document.languageId, 'shellscript');
  });
});
