import { URI } from 'vscode-uri';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from './engine/analyze';
import { CONFIG_FILE_NAME } from './engine/codes';
import { startsWithUtf8Bom } from './engine/fs/fileSystem';
import type { Engine } from './engine/service/engine';
import { expandPathMappings, ServerSettings } from './workspace/settings';

/**
 * One analysis per document version and "world generation". Completion, hover, lenses and
 * diagnostics of the same keystroke share it; the generation moves on when settings or watched
 * files change, so nothing stale is served.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; generation: number; settings: ServerSettings; result: AnalysisResult }>();
  /** Whether the file on disk starts with a BOM, which editors hide from the text they send. */
  private readonly bomOnDisk = new Map<string, { generation: number; value: boolean }>();
  private generation = 0;
  private workspaceFolders: string[] = [];

  constructor(private readonly engine: Engine) {}

  setWorkspaceFolders(uris: string[]): void {
    this.workspaceFolders = uris.map((uri) => URI.parse(uri).fsPath);
    this.generation++;
  }

  invalidateAll(): void {
    this.generation++;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.bomOnDisk.delete(uri);
  }

  /** Read once per generation: saving the file moves the generation on through the file watcher. */
  private startsWithBom(uri: string, configPath: string): boolean {
    const cached = this.bomOnDisk.get(uri);
    if (cached && cached.generation === this.generation) return cached.value;
    const value = startsWithUtf8Bom(this.engine.fileSystem, configPath);
    this.bomOnDisk.set(uri, { generation: this.generation, value });
    return value;
  }

  get(document: TextDocument, settings: ServerSettings): AnalysisResult {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version && cached.generation === this.generation && cached.settings === settings) return cached.result;
    const uri = URI.parse(document.uri);
    const configPath = uri.scheme === 'file' ? uri.fsPath : undefined;
    const result = this.engine.analyzeText(document.getText(), {
      configPath,
      root: settings.root || undefined,
      pathMappings: expandPathMappings(settings.pathMappings, configPath, this.workspaceFolders),
      fileChecks: settings.fileChecks,
      bomOnDisk: configPath !== undefined && this.startsWithBom(document.uri, configPath),
    });
    this.entries.set(document.uri, { version: document.version, generation: this.generation, settings, result });
    return result;
  }
}

export function isConfigDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'vmsnapshot-config' || document.uri.endsWith(`/${CONFIG_FILE_NAME}`);
}
