import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { MAX_CONFIG_DEPTH, nestsDeeperThan } from '../analyze';
import { firstUnreadableToken } from '../parse/scanErrors';
import { parseCompactTree } from './compactTree';

/** A span of the text, in UTF-16 offsets. */
export interface TextSpan {
  offset: number;
  length: number;
}

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
 * The JSON tree the structural features (outline, selection, highlights) walk. Texts that the
 * analysis refuses as too large still get one — the outline of a 5 MB file is still an outline —
 * but not texts nested too deep for the parser's recursion. The tree is a compact one (see
 * `parseCompactTree`): these texts are the large ones.
 */
export function parseStructure(text: string): StructureTree {
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) return { root: undefined };
  const errors: ParseError[] = [];
  const root = parseCompactTree(text, errors).root;
  return { root, unreadableFrom: firstUnreadableToken(text, errors) };
}

/** The property whose key `node` is, if it is one. */
export function propertyOfKey(node: JsonNode | undefined): JsonNode | undefined {
  const parent = node?.parent;
  return node?.type === 'string' && parent?.type === 'property' && parent.children?.[0] === node ? parent : undefined;
}
