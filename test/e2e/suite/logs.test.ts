import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, closeAll, codeOf, fixtureUri, open, screenshot, waitFor, waitForDiagnostics, workspaceRoot } from './helpers';

const LOG = 'logs/var/log/azure/Microsoft.Azure.RecoveryServices.VMSnapshotLinux/extension.log';
/** The fixture's fake snapshot task token (test/unit/agentLogTemplates.ts). */
const TOKEN = 'Zm9vYmFyLXNlY3JldC10b2tlbi0xMjM0NTY3ODkw';

describe('the agent\'s extension.log', () => {
  before(activateExtension);
  after(closeAll);

  it('opens as a backup agent log and shows a code lens per run with its outcome', async () => {
    const editor = await open(fixtureUri(LOG));
    assert.equal(editor.document.languageId, 'vmsnapshot-log');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri);
    const shown = lenses.map((lens) => lens.command?.title ?? '');
    assert.equal(shown.length, 2, JSON.stringify(shown));
    assert.match(shown[0], /^Backup run 12: application consistent · code 0/);
    assert.match(shown[1], /^Backup run 13: file-system consistent · code 1 .*post failed \(exit code 3\)/);
    await screenshot('log-code-lens', '.monaco-editor .codelens-decoration');
  });

  it('marks the line that explains the failure', async () => {
    const uri = fixtureUri(LOG);
    await open(uri);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.some((diagnostic) => codeOf(diagnostic) === 'Post-ScriptExecutionFailed'), 'the post-script failure');
    const failure = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'Post-ScriptExecutionFailed')!;
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.lineAt(failure.range.start.line).text, /Postscript for script failed with error code: 3 \.$/);
  });

  it('with the config and its post-script next to a copy of the log, the failure links to the script\'s `exit 3`', async () => {
    const folder = path.join(workspaceRoot().fsPath, 'logs-with-config');
    fs.mkdirSync(folder, { recursive: true });
    fs.copyFileSync(fixtureUri(LOG).fsPath, path.join(folder, 'extension.log'));
    fs.writeFileSync(path.join(folder, 'VMSnapshotScriptPluginConfig.json'), '{\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh"\n}\n');
    fs.writeFileSync(path.join(folder, 'post.sh'), '#!/bin/sh\nsystemctl start app && exit 0\nexit 3\n');
    const uri = vscode.Uri.file(path.join(folder, 'extension.log'));
    await open(uri);
    const diagnostics = await waitForDiagnostics(uri, (found) => found.some((diagnostic) => codeOf(diagnostic) === 'Post-ScriptExecutionFailed'), 'the post-script failure');
    const related = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'Post-ScriptExecutionFailed')!.relatedInformation ?? [];
    assert.deepEqual(related.map((info) => [info.location.uri.fsPath, info.location.range.start.line, info.message]), [[path.join(folder, 'post.sh'), 2, 'the post-script exits 3 here']]);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('log-related-script-line', '.markers-panel .monaco-list-row');
  });

  it('"Copy redacted log" puts the log on the clipboard without its token', async () => {
    const uri = fixtureUri(LOG);
    await open(uri);
    await vscode.commands.executeCommand('vmsnapshot.copyRedactedLog', uri);
    const copied = await vscode.env.clipboard.readText();
    assert.ok(copied.includes('snapshotTaskToken : REDACTED'), copied.slice(0, 200));
    assert.ok(!copied.includes(TOKEN));
  });

  it('"Explain the last backup" opens the timeline of the VM\'s own files', async () => {
    await vscode.commands.executeCommand('vmsnapshot.explainLastBackup');
    const editor = await waitFor(vscode.window.onDidChangeActiveTextEditor, () => (vscode.window.activeTextEditor?.document.isUntitled ? vscode.window.activeTextEditor : undefined), 'the timeline');
    // This machine is no Azure VM: the timeline says that no run was found.
    assert.match(editor.document.getText(), /None of the backup agent's files is on this machine|Backup run/);
  });
});
