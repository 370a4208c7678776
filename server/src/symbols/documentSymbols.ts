import * as l10n from '@vscode/l10n';
import { DocumentSymbol, Range, SymbolKind } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisResult } from '../engine/analyze';
import type { JsonNode } from '../engine/parse/configDocument';
import { documentSymbolsAs, StructureSymbol } from '../engine/structure/symbols';

/** VS Code's own default for JSON outlines (`json.maxItemsComputed`). */
export const SYMBOL_LIMIT = 5000;

/** The kinds VS Code's JSON outline uses, so that the icons look the same. */
const KINDS: Record<StructureSymbol['kind'], SymbolKind> = {
  object: SymbolKind.Module,
  array: SymbolKind.Array,
  string: SymbolKind.String,
  number: SymbolKind.Number,
  boolean: SymbolKind.Boolean,
  null: SymbolKind.Variable,
};

/** What the analysis resolved the script locations to: where the user's script really is. */
function scriptDetails(analysis: AnalysisResult | undefined): Map<number, string> {
  const details = new Map<number, string>();
  for (const script of analysis?.scripts ?? []) {
    const { node, vmPath } = script.location;
    if (!script.localPath) continue;
    const found = script.info?.kind === 'file';
    const where = script.localPath === vmPath ? vmPath : `${vmPath} → ${script.localPath}`;
    details.set(node.offset, found ? where : l10n.t('{0} (not found)', where));
  }
  return details;
}

interface OutlineSymbol extends DocumentSymbol {
  children: OutlineSymbol[];
}

/**
 * A leaf's `children` left out of the answer (it is optional): 5000 array elements of a large
 * config would otherwise carry 70 KB of `"children":[]`. Set to undefined rather than deleted, so
 * that the symbols keep one shape and serialise as fast.
 */
function leavesWithoutChildren(symbols: OutlineSymbol[]): DocumentSymbol[] {
  for (const symbol of symbols) {
    if (symbol.children.length) leavesWithoutChildren(symbol.children);
    else (symbol as DocumentSymbol).children = undefined;
  }
  return symbols;
}

export function configSymbols(document: TextDocument, root: JsonNode | undefined, analysis: AnalysisResult | undefined): { symbols: DocumentSymbol[]; limitExceeded: boolean } {
  // Plain literals: vscode-languageserver's Range.create checks each position it is given.
  const range = (start: number, end: number): Range => ({ start: document.positionAt(start), end: document.positionAt(end) });
  const outline = documentSymbolsAs(root, { resultLimit: SYMBOL_LIMIT, detailByValueOffset: scriptDetails(analysis) }, (name, kind, detail, start, end, selectionStart, selectionEnd): OutlineSymbol => {
    const whole = range(start, end);
    // An array element is its own selection: its positions are looked up once.
    const selection = selectionStart === start && selectionEnd === end ? whole : range(selectionStart, selectionEnd);
    return { name, detail, kind: KINDS[kind], range: whole, selectionRange: selection, children: [] };
  });
  return { symbols: leavesWithoutChildren(outline.symbols), limitExceeded: outline.limitExceeded };
}
