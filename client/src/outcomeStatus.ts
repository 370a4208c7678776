import * as vscode from 'vscode';

/** A language status item that shows, for the active config, what the Azure agent will report. */
export class OutcomeStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, { text: string; severity: 'ok' | 'error' }>();
  private readonly subscription: vscode.Disposable;

  constructor(selector: vscode.DocumentSelector) {
    this.item = vscode.languages.createLanguageStatusItem('vmsnapshot.outcome', selector);
    this.item.name = vscode.l10n.t('Azure agent result');
    this.item.text = vscode.l10n.t('Azure agent: checking…');
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());
  }

  update(params: { uri: string; text: string; severity: 'ok' | 'error' }): void {
    this.byUri.set(params.uri, { text: params.text, severity: params.severity });
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const entry = uri ? this.byUri.get(uri) : undefined;
    if (!entry) return;
    this.item.text = entry.text;
    this.item.severity = entry.severity === 'ok' ? vscode.LanguageStatusSeverity.Information : vscode.LanguageStatusSeverity.Error;
  }

  dispose(): void {
    this.item.dispose();
    this.subscription.dispose();
  }
}
