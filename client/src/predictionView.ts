import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PredictedRunTextRequest } from '../../server/src/protocol';

const SCHEME = 'vmsnapshot-prediction';

/**
 * What the code lens opens: the predicted run of a config (outcome, path taken, effective values,
 * command lines) as a read-only markdown document beside it, rebuilt by the language server from
 * the same analysis as the diagnostics and the lens each time it is shown.
 */
export class PredictionView implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(SCHEME, this),
      vscode.commands.registerCommand('vmsnapshot.showPrediction', (configUri?: string) => this.show(configUri)),
    ];
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const config = decodeURIComponent(uri.query);
    const answer = await this.client.sendRequest(PredictedRunTextRequest, { uri: config });
    return answer.markdown;
  }

  private async show(configUri: string | undefined): Promise<void> {
    const config = configUri ?? vscode.window.activeTextEditor?.document.uri.toString();
    if (!config) return;
    const name = vscode.Uri.parse(config).path.split('/').pop() ?? 'config';
    const uri = vscode.Uri.from({ scheme: SCHEME, path: `/${vscode.l10n.t('Predicted run of {0}', name)}.md`, query: encodeURIComponent(config) });
    this.changed.fire(uri);
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: false });
  }

  dispose(): void {
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
  }
}
