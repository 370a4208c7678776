import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, codeOf, configUri, open, waitForDiagnostics, withCode } from './helpers';

/**
 * The quick fix that the light bulb offers at `diagnostic`. The API command does not return the
 * actions' `diagnostics`, so the fix is the one preferred quick fix at the finding's range.
 */
async function quickFixFor(uri: vscode.Uri, diagnostic: vscode.Diagnostic, title: string): Promise<vscode.CodeAction> {
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
  const preferred = actions.filter((action) => action.isPreferred);
  assert.deepEqual(preferred.map((action) => action.title), [title], `one preferred fix for ${codeOf(diagnostic)}`);
  assert.ok(preferred[0].edit);
  return preferred[0];
}

describe('quick fixes', () => {
  before(activateExtension);
  after(closeAll);

  it('renaming a misspelt key removes its UnknownKey finding', async () => {
    const uri = configUri('mistakes');
    const { document } = await open(uri);
    const before = await waitForDiagnostics(uri, (all) => withCode(all, 'UnknownKey').length === 1, 'UnknownKey');
    const fix = await quickFixFor(uri, withCode(before, 'UnknownKey')[0], 'Rename to "preScriptLocation"');
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    assert.match(document.getText(), /"preScriptLocation": "\/etc\/azure\/pre-script.sh"/);
    const after = await waitForDiagnostics(uri, (all) => withCode(all, 'UnknownKey').length === 0, 'UnknownKey to go');
    // The key is now there, so the "missing preScriptLocation" finding goes too; the comment stays.
    assert.deepEqual(withCode(after, 'IncorrectJSONConfigFile').map((d) => d.range.start.line), [1]);
  });

  it('deleting the comment makes the file strict JSON again', async () => {
    const uri = configUri('mistakes');
    const { document } = await open(uri);
    const before = await waitForDiagnostics(uri, (all) => withCode(all, 'IncorrectJSONConfigFile').some((d) => d.range.start.line === 1), 'the comment finding');
    const comment = withCode(before, 'IncorrectJSONConfigFile').find((d) => d.range.start.line === 1)!;
    const fix = await quickFixFor(uri, comment, 'Delete the comment');
    assert.equal(await vscode.workspace.applyEdit(fix.edit!), true);
    assert.doesNotMatch(document.getText(), /\/\//);
    await waitForDiagnostics(uri, (all) => !withCode(all, 'IncorrectJSONConfigFile').some((d) => /comment/i.test(d.message)), 'the comment finding to go');
    assert.doesNotThrow(() => JSON.parse(document.getText()));
  });
});
