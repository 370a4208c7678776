import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainVmRequest, RedactRequest } from '../../server/src/protocol';

/**
 * "Explain the last backup" reads the VM's own files through the server (on Remote-SSH it runs
 * on the VM) and opens the timeline; "Copy redacted log" puts the open log, without secrets,
 * on the clipboard for a public issue.
 */
export function registerLogCommands(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('vmsnapshot.explainLastBackup', async () => {
      const running = client();
      if (!running) return;
      const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading the backup agent\'s logs…') }, () => running.sendRequest(ExplainVmRequest));
      const document = await vscode.workspace.openTextDocument({ content: text, language: 'plaintext' });
      await vscode.window.showTextDocument(document, { preview: false });
    }),
    vscode.commands.registerCommand('vmsnapshot.copyRedactedLog', async (uri?: vscode.Uri) => {
      const running = client();
      const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!running || !document) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Open an extension.log, shell.log or status file first.'));
        return;
      }
      const redacted = await running.sendRequest(RedactRequest, { text: document.getText() });
      await vscode.env.clipboard.writeText(redacted);
      void vscode.window.showInformationMessage(vscode.l10n.t('The redacted log is on the clipboard: tokens, signatures, accounts, ids and credentials were removed.'));
    }),
  );
}
