import { URI } from 'vscode-uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeConfigText, AnalysisResult } from './engine/analyze';
import { CONFIG_FILE_NAME } from './engine/codes';
import type { ServerSettings } from './workspace/settings';

/**
 * One analysis per document version and "world generation". Completion, hover, lenses and
 * diagnostics of the same keystroke share it; the generation moves on when settings or watched
 * files change, so nothing stale is served.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; generation: number; result: AnalysisResult }>();
  private generation = 0;

  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
  }

  get(document: TextDocument, settings: ServerSettings): AnalysisResult {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === this.generation) return cached.result;
    const uri = URI.parse(document.uri);
    const result = analyzeConfigText(document.getText(), {
      configPath: uri.scheme === 'file' ? uri.fsPath : undefined,
      root: settings.root || undefined,
      fileChecks: settings.fileChecks,
    });
    this.entries.set(document.uri, { version: document.version, generation: this.generation, result });
    return result;
  }
}

export function isConfigDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'vmsnapshot-config' || document.uri.endsWith(`/${CONFIG_FILE_NAME}`);
}
