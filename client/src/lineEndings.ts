import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, type LanguageClient } from 'vscode-languageclient/node';

/**
 * The "Convert to LF line endings" quick fix. VS Code keeps a document's line-ending style
 * whatever text an edit inserts, so the server cannot do this with a text edit: an open document
 * gets its end-of-line setting changed (as the status bar item does), a closed file is rewritten.
 */
export function registerLineEndingCommand(client: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('vmsnapshot.convertToLf', async (uriText: string) => {
    const uri = vscode.Uri.parse(uriText);
    const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
    if (open) {
      const editor = await vscode.window.showTextDocument(open, { preview: false });
      await editor.edit((builder) => builder.setEndOfLine(vscode.EndOfLine.LF));
      return;
    }
    const bytes = await vscode.workspace.fs.readFile(uri);
    const text = Buffer.from(bytes).toString('latin1');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text.replace(/\r\n/g, '\n'), 'latin1'));
    // The server checks the script again on a file event, but a file watcher does not always
    // report a write made through VS Code's own file service (in code-server it did not): tell it.
    await client()?.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uri.toString(), type: FileChangeType.Changed }] });
  });
}
