import { Node as JsonNode, ParseError, ParseErrorCode, parseTree } from 'jsonc-parser';
import { MAX_CONFIG_DEPTH, nestsDeeperThan } from '../analyze';

/** A span of the text, in UTF-16 offsets. */
export interface TextSpan {
  offset: number;
  length: number;
}

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

export interface StructureTree {
  root: JsonNode | undefined;
  /**
   * Where the first token the scanner cannot read starts (past the end of the text when every
   * token reads), as this parse saw it; undefined when the parse cannot tell (it stopped early).
   * The formatter needs it and would otherwise scan the whole text once more.
   */
  unreadableFrom?: number;
}

/**
 * The parser scans every token in order, so the first scanner error it reports is the first in
 * the text. Without one, only a parse with no error at all is known to have read to the end:
 * some syntax errors (a second root value, say) stop it there.
 */
function firstUnreadable(text: string, errors: readonly ParseError[]): number | undefined {
  if (errors.length === 0) return text.length + 1;
  let first: number | undefined;
  for (const error of errors) if (SCAN_ERRORS.has(error.error) && (first === undefined || error.offset < first)) first = error.offset;
  return first;
}

/**
 * The JSON tree the structural features (outline, selection, highlights) walk. Texts that the
 * analysis refuses as too large still get one — the outline of a 5 MB file is still an outline —
 * but not texts nested too deep for the parser's recursion.
 */
export function parseStructure(text: string): StructureTree {
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) return { root: undefined };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  return { root, unreadableFrom: firstUnreadable(text, errors) };
}

/** The property whose key `node` is, if it is one. */
export function propertyOfKey(node: JsonNode | undefined): JsonNode | undefined {
  const parent = node?.parent;
  return node?.type === 'string' && parent?.type === 'property' && parent.children?.[0] === node ? parent : undefined;
}
