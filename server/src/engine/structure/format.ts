import { createScanner, format, ScanError, SyntaxKind } from 'jsonc-parser';
import type { TextSpan } from './tree';

export interface FormatOptions {
  tabSize: number;
  insertSpaces: boolean;
  /** `files.insertFinalNewline`: add a line break at the end. An existing one is always kept. */
  insertFinalNewline?: boolean;
  /** Line break for a text that has none yet (`files.eol`); otherwise the text's own is kept. */
  eol?: string;
}

export interface TextReplacement extends TextSpan {
  content: string;
}

function endsWithLineBreak(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13;
}

/**
 * Where the first token the scanner cannot read starts (an unterminated string, a stray
 * character), looking no further than `until`: whitespace after such a token may be what ends
 * it, so nothing from there on is touched.
 */
function firstScanError(text: string, until: number): number {
  const scanner = createScanner(text, false);
  for (let token = scanner.scan(); token !== SyntaxKind.EOF && scanner.getTokenOffset() < until; token = scanner.scan()) {
    if (token === SyntaxKind.Unknown || scanner.getTokenError() !== ScanError.None) return scanner.getTokenOffset();
  }
  return text.length + 1;
}

/**
 * Re-indents the config (or the lines `range` touches) with jsonc-parser's formatter, which
 * only ever replaces whitespace between tokens: comments, trailing commas and anything it cannot
 * parse stay where they are (the strict-JSON diagnostics and their fixes deal with those), and
 * nothing is edited past the first token it cannot read. `unreadableFrom` is where that token
 * starts when a parse of this very text already knows it (see `parseStructure`).
 */
export function formatConfigText(text: string, range: TextSpan | undefined, options: FormatOptions, unreadableFrom?: number): TextReplacement[] {
  const edits = format(text, range, {
    tabSize: options.tabSize,
    insertSpaces: options.insertSpaces,
    eol: options.eol,
    // jsonc-parser removes a final line break unless told to insert one: files.insertFinalNewline
    // is off by default, and formatting should not make every saved config lose its last newline.
    insertFinalNewline: options.insertFinalNewline === true || endsWithLineBreak(text),
    keepLines: false,
  });
  if (edits.length === 0) return edits;
  const last = edits[edits.length - 1];
  const readableUpTo = unreadableFrom ?? firstScanError(text, last.offset + last.length);
  return edits.filter((edit) => edit.offset + edit.length <= readableUpTo);
}
