import { createScanner, SyntaxKind } from 'jsonc-parser';
import { TextEdit } from 'vscode-languageserver';
import type { ConfigDocument } from '../engine/parse/configDocument';

const TRIVIA = new Set([SyntaxKind.Trivia, SyntaxKind.LineBreakTrivia, SyntaxKind.LineCommentTrivia, SyntaxKind.BlockCommentTrivia]);
const VALUE_ENDS = new Set([SyntaxKind.StringLiteral, SyntaxKind.NumericLiteral, SyntaxKind.TrueKeyword, SyntaxKind.FalseKeyword, SyntaxKind.NullKeyword, SyntaxKind.CloseBraceToken, SyntaxKind.CloseBracketToken]);

/** `_comment`, or `_comment2`… when the config already has one: the agent ignores keys it does not read. */
function freeCommentKey(document: ConfigDocument): string {
  const used = new Set(document.properties.map((property) => property.key));
  let key = '_comment';
  for (let n = 2; used.has(key); n++) key = `_comment${n}`;
  return key;
}

function commentText(raw: string): string {
  const inner = raw.startsWith('//') ? raw.slice(2) : raw.slice(2, -2);
  return inner.split('\n').map((line) => line.replace(/^\s*\*?\s?/, '').trim()).filter(Boolean).join(' ');
}

/**
 * Turns the comment at `offset` into a `"_comment": "…"` member, keeping its words in strict
 * JSON. Only where a member can stand: between the top-level object's members, adding the
 * commas that the new member needs on either side.
 */
export function keepCommentAsKey(document: ConfigDocument, offset: number): { key: string; edits: TextEdit[] } | undefined {
  const text = document.text;
  const scanner = createScanner(text, false);
  let depth = 0;
  let previous: SyntaxKind | undefined;
  let previousEnd = 0;
  let comment: { length: number; depth: number } | undefined;
  let next: SyntaxKind | undefined;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    const start = scanner.getTokenOffset();
    if (start === offset && (kind === SyntaxKind.LineCommentTrivia || kind === SyntaxKind.BlockCommentTrivia)) {
      comment = { length: scanner.getTokenLength(), depth };
      continue;
    }
    if (TRIVIA.has(kind)) continue;
    if (comment) {
      next = kind;
      break;
    }
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) depth++;
    if (kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) depth--;
    previous = kind;
    previousEnd = start + scanner.getTokenLength();
  }
  if (!comment || comment.depth !== 1 || previous === undefined || next === undefined) return undefined;
  const afterMember = VALUE_ENDS.has(previous);
  if (!afterMember && previous !== SyntaxKind.CommaToken && previous !== SyntaxKind.OpenBraceToken) return undefined;
  // A key follows (quoted, or unquoted as another finding says), or the object ends.
  const beforeMember = next === SyntaxKind.StringLiteral || next === SyntaxKind.Unknown;
  if (!beforeMember && next !== SyntaxKind.CloseBraceToken) return undefined;
  // `"key" /* … */ : value` is not between members.
  if (next === SyntaxKind.StringLiteral && /^\s*"(?:[^"\\]|\\.)*"\s*:/.test(text.slice(offset + comment.length)) === false) return undefined;

  const key = freeCommentKey(document);
  const raw = text.slice(offset, offset + comment.length);
  const member = `${JSON.stringify(key)}: ${JSON.stringify(commentText(raw))}${beforeMember ? ',' : ''}`;
  const at = (position: number) => document.lines.positionAt(position);
  const edits = [TextEdit.replace({ start: at(offset), end: at(offset + comment.length) }, member)];
  if (afterMember) edits.unshift(TextEdit.insert(at(previousEnd), ','));
  return { key, edits };
}
