import * as vscode from 'vscode';
import type { OutcomeParams } from '../../server/src/protocol';

/** Configs always show the item; scripts only once a config has said it names them. */
const CONFIG_SELECTOR: vscode.DocumentFilter[] = [{ language: 'vmsnapshot-config' }, { scheme: 'file', pattern: '**/VMSnapshotScriptPluginConfig.json' }];

/** Glob characters in a path would make it match other files. */
function exactPattern(fsPath: string): string {
  return fsPath.replace(/[\\[\]{}()*?!]/g, (character) => `[${character}]`);
}

/**
 * A language status item that shows, for the active config or a script a config names, what
 * the Azure agent will report. Plain shell scripts never show it.
 */
export class OutcomeStatus implements vscode.Disposable {
  private readonly item: vscode.LanguageStatusItem;
  private readonly byUri = new Map<string, OutcomeParams>();
  private readonly scriptPaths = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.item = vscode.languages.createLanguageStatusItem('vmsnapshot.outcome', CONFIG_SELECTOR);
    this.item.name = vscode.l10n.t('Azure agent result');
    this.item.text = vscode.l10n.t('Azure agent: checking…');
    this.subscription = vscode.window.onDidChangeActiveTextEditor(() => this.render());
  }

  update(params: OutcomeParams): void {
    this.byUri.set(params.uri, params);
    if (params.configUri !== undefined) {
      const fsPath = vscode.Uri.parse(params.uri).fsPath;
      if (!this.scriptPaths.has(fsPath)) {
        this.scriptPaths.add(fsPath);
        this.item.selector = [...CONFIG_SELECTOR, ...[...this.scriptPaths].map((script) => ({ scheme: 'file', pattern: exactPattern(script) }))];
      }
    }
    this.render();
  }

  /** Where VS Code shows the item: configs, and the scripts configs have named so far. */
  get selector(): vscode.DocumentSelector {
    return this.item.selector;
  }

  /** What the item says for a document, once its config has been analysed. */
  textFor(uri: vscode.Uri): string | undefined {
    return this.byUri.get(uri.toString())?.text;
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
