import { ParseError, ParseErrorCode } from 'jsonc-parser';

/** The parser's errors that are the scanner's: a token it cannot read, reported where that token starts. */
const SCAN_ERRORS: ReadonlySet<ParseErrorCode> = new Set([
  ParseErrorCode.InvalidSymbol,
  ParseErrorCode.UnexpectedEndOfComment,
  ParseErrorCode.UnexpectedEndOfString,
  ParseErrorCode.UnexpectedEndOfNumber,
  ParseErrorCode.InvalidUnicode,
  ParseErrorCode.InvalidEscapeCharacter,
  ParseErrorCode.InvalidCharacter,
]);

/**
 * The parser scans every token in order, so the first scanner error it reports is the first in
 * the text. Without one, only a parse with no error at all is known to have read to the end:
 * some syntax errors (a second root value, say) stop it there.
 */
export function firstUnreadableToken(text: string, errors: readonly ParseError[]): number | undefined {
  if (errors.length === 0) return text.length + 1;
  let first: number | undefined;
  for (const error of errors) if (SCAN_ERRORS.has(error.error) && (first === undefined || error.offset < first)) first = error.offset;
  return first;
}
