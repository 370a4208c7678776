import { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { formatConfigText } from '../engine/structure/format';

/** The document's own line break, if it has one: editors keep it whatever an edit inserts. */
export function hasLineBreak(text: string): boolean {
  return /[\r\n]/.test(text);
}

/**
 * `eol`: `files.eol` for a document that has no line break yet. `options` carries the editor's
 * tab size and spaces, and `files.insertFinalNewline` (vscode-languageclient adds it).
 * `unreadableFrom`: what a parse of this version knows of its first unreadable token.
 */
export function formattingEdits(document: TextDocument, options: FormattingOptions, range: Range | undefined, eol: string | undefined, unreadableFrom?: number): TextEdit[] {
  const text = document.getText();
  const span = range && { offset: document.offsetAt(range.start), length: document.offsetAt(range.end) - document.offsetAt(range.start) };
  return formatConfigText(text, span, { tabSize: options.tabSize, insertSpaces: options.insertSpaces, insertFinalNewline: options.insertFinalNewline, eol }, unreadableFrom).map((edit) =>
    TextEdit.replace(Range.create(document.positionAt(edit.offset), document.positionAt(edit.offset + edit.length)), edit.content),
  );
}
