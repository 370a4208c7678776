import { Node as JsonNode, parseTree } from 'jsonc-parser';
import { MAX_CONFIG_DEPTH, nestsDeeperThan } from '../analyze';

/** A span of the text, in UTF-16 offsets. */
export interface TextSpan {
  offset: number;
  length: number;
}

/**
 * The JSON tree the structural features (outline, selection, highlights) walk. Texts that the
 * analysis refuses as too large still get one — the outline of a 5 MB file is still an outline —
 * but not texts nested too deep for the parser's recursion.
 */
export function parseStructure(text: string): JsonNode | undefined {
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) return undefined;
  return parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
}

/** The property whose key `node` is, if it is one. */
export function propertyOfKey(node: JsonNode | undefined): JsonNode | undefined {
  const parent = node?.parent;
  return node?.type === 'string' && parent?.type === 'property' && parent.children?.[0] === node ? parent : undefined;
}
