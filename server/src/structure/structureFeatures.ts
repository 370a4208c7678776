import * as os from 'os';
import {
  ClientCapabilities,
  Connection,
  DocumentFormattingRequest,
  DocumentHighlight,
  DocumentHighlightKind,
  DocumentHighlightRequest,
  DocumentRangeFormattingRequest,
  DocumentSymbolRequest,
  FoldingRange,
  FoldingRangeRequest,
  Range,
  SelectionRange,
  SelectionRangeRequest,
  ServerCapabilities,
  TextDocuments,
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConfigDocument } from '../analysisCache';
import type { AnalysisResult } from '../engine/analyze';
import type { JsonNode } from '../engine/parse/configDocument';
import { foldingRanges } from '../engine/structure/folding';
import { keyHighlights } from '../engine/structure/highlights';
import { selectionSpans } from '../engine/structure/selection';
import { parseStructure, StructureTree } from '../engine/structure/tree';
import { formattingEdits, hasLineBreak } from '../formatting/formatting';
import { configSymbols } from '../symbols/documentSymbols';

export interface StructureDependencies {
  /** The cached analysis of a config document's newest version; undefined for other documents. */
  analyze(uri: string): Promise<AnalysisResult | undefined>;
  runSafe<R>(name: string, fallback: R, work: () => R): R;
}

/**
 * Only the config: the client's selector also holds shell scripts, and a formatter, outline or
 * folding provider that answers nothing there would take the place of the shell extensions' own.
 */
const CONFIG_SELECTOR = [{ language: 'vmsnapshot-config' }, { scheme: 'file', pattern: '**/VMSnapshotScriptPluginConfig.json' }];

const REQUESTS = [
  ['formatting', DocumentFormattingRequest.type, 'documentFormattingProvider'],
  ['rangeFormatting', DocumentRangeFormattingRequest.type, 'documentRangeFormattingProvider'],
  ['documentSymbol', DocumentSymbolRequest.type, 'documentSymbolProvider'],
  ['foldingRange', FoldingRangeRequest.type, 'foldingRangeProvider'],
  ['selectionRange', SelectionRangeRequest.type, 'selectionRangeProvider'],
  ['documentHighlight', DocumentHighlightRequest.type, 'documentHighlightProvider'],
] as const;

/**
 * What VS Code's JSON support gives every `.json` file, for the config's own language:
 * formatting, outline, folding, Expand Selection and duplicate-key highlights.
 */
export class StructureFeatures {
  private client: ClientCapabilities = {};
  /** Trees of texts the analysis refused as too large, one per open document. */
  private readonly fallbackTrees = new Map<string, { version: number; tree: StructureTree }>();
  /** Where the first unreadable token of a version starts, as its parse saw it. */
  private readonly unreadable = new Map<string, { version: number; from: number | undefined }>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly deps: StructureDependencies,
  ) {
    documents.onDidClose((event) => {
      this.fallbackTrees.delete(event.document.uri);
      this.unreadable.delete(event.document.uri);
    });
    this.listen();
  }

  private dynamic(section: (typeof REQUESTS)[number][0]): boolean {
    return this.client.textDocument?.[section]?.dynamicRegistration === true;
  }

  /** Static capabilities for clients that cannot take a document selector at run time. */
  capabilities(client: ClientCapabilities): Partial<ServerCapabilities> {
    this.client = client;
    return Object.fromEntries(REQUESTS.filter(([section]) => !this.dynamic(section)).map(([, , capability]) => [capability, true]));
  }

  /** Call once initialized: registers each feature for the config documents only. */
  registerDynamically(): void {
    for (const [section, type] of REQUESTS) {
      if (this.dynamic(section)) void this.connection.client.register(type as typeof DocumentSymbolRequest.type, { documentSelector: CONFIG_SELECTOR });
    }
  }

  private configDocument(uri: string): TextDocument | undefined {
    const document = this.documents.get(uri);
    return document && isConfigDocument(document) ? document : undefined;
  }

  /** The analysis's tree when it parsed this very text, otherwise one of our own. */
  private async tree(document: TextDocument): Promise<{ root: JsonNode | undefined; analysis: AnalysisResult | undefined }> {
    const analysis = await this.deps.analyze(document.uri);
    if (analysis?.document.text === document.getText()) return { root: analysis.document.root, analysis };
    return { root: this.fallbackTree(document).root, analysis };
  }

  private fallbackTree(document: TextDocument): StructureTree {
    let cached = this.fallbackTrees.get(document.uri);
    if (cached?.version !== document.version) {
      cached = { version: document.version, tree: this.deps.runSafe('parse', { root: undefined }, () => parseStructure(document.getText())) };
      this.fallbackTrees.set(document.uri, cached);
    }
    return cached.tree;
  }

  /**
   * Called with each version's analysis. A text the analysis refused (too large) gets its tree
   * here, once per version, as the analysis gives the others theirs: the outline, breadcrumbs
   * and folding that editors ask for after every change then share it instead of the first of
   * them paying for the parse. Its line offsets, which every answer's positions need, too. What
   * either parse knows of the first unreadable token is kept for the formatter.
   */
  prepare(document: TextDocument, analysis: AnalysisResult): void {
    let unreadableFrom = analysis.document.unreadableFrom;
    if (analysis.document.text !== document.getText()) {
      unreadableFrom = this.fallbackTree(document).unreadableFrom;
      document.positionAt(0);
    }
    this.unreadable.set(document.uri, { version: document.version, from: unreadableFrom });
  }

  /** Saves the formatter a scan of the whole text when a parse of this version already made one. */
  private knownUnreadableFrom(document: TextDocument): number | undefined {
    const known = this.unreadable.get(document.uri);
    return known?.version === document.version ? known.from : undefined;
  }

  /** `files.eol` matters only for a document without any line break yet. */
  private async eolFor(document: TextDocument): Promise<string | undefined> {
    if (hasLineBreak(document.getText()) || !this.client.workspace?.configuration) return undefined;
    const files = (await this.connection.workspace.getConfiguration({ scopeUri: document.uri, section: 'files' }).catch(() => undefined)) as { eol?: string } | undefined;
    return files?.eol === '\n' || files?.eol === '\r\n' ? files.eol : os.EOL;
  }

  private listen(): void {
    const { connection, deps } = this;
    connection.onDocumentFormatting(async (params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const eol = await this.eolFor(document);
      return deps.runSafe('formatting', null, () => formattingEdits(document, params.options, undefined, eol, this.knownUnreadableFrom(document)));
    });
    connection.onDocumentRangeFormatting(async (params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const eol = await this.eolFor(document);
      return deps.runSafe('rangeFormatting', null, () => formattingEdits(document, params.options, params.range, eol, this.knownUnreadableFrom(document)));
    });
    connection.onDocumentSymbol(async (params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const { root, analysis } = await this.tree(document);
      return deps.runSafe('documentSymbol', null, () => configSymbols(document, root, analysis).symbols);
    });
    connection.onFoldingRanges((params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const limit = this.client.textDocument?.foldingRange?.rangeLimit;
      return deps.runSafe('foldingRange', null, () =>
        foldingRanges(document.getText(), limit).map(({ startLine, endLine, kind }): FoldingRange => ({ startLine, endLine, ...(kind ? { kind } : {}) })),
      );
    });
    connection.onSelectionRanges(async (params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const { root } = await this.tree(document);
      const text = document.getText();
      return deps.runSafe('selectionRange', null, () =>
        params.positions.map((position) => {
          let range: SelectionRange | undefined;
          for (const span of selectionSpans(text, root, document.offsetAt(position)).reverse()) {
            range = { range: Range.create(document.positionAt(span.offset), document.positionAt(span.offset + span.length)), parent: range };
          }
          return range ?? { range: Range.create(position, position) };
        }),
      );
    });
    connection.onDocumentHighlight(async (params) => {
      const document = this.configDocument(params.textDocument.uri);
      if (!document) return null;
      const { root } = await this.tree(document);
      return deps.runSafe('documentHighlight', null, () =>
        keyHighlights(root, document.offsetAt(params.position)).map(
          (key): DocumentHighlight => ({
            range: Range.create(document.positionAt(key.offset), document.positionAt(key.offset + key.length)),
            // The occurrence the agent keeps reads as the write; the ones it drops as mere text.
            kind: key.effective ? DocumentHighlightKind.Write : DocumentHighlightKind.Text,
          }),
        ),
      );
    });
  }
}
