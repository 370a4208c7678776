import { Node as JsonNode, ParseError, parseTree } from 'jsonc-parser';
import { LineIndex } from '../text/lineIndex';
import { firstUnreadableToken } from './scanErrors';
import { checkStrictJson, StrictJsonResult } from './strictJson';

export type { Node as JsonNode } from 'jsonc-parser';

export interface ConfigProperty {
  key: string;
  keyNode: JsonNode;
  /** Absent while the user is still typing (`"key":`). */
  valueNode?: JsonNode;
}

/**
 * One config text, parsed twice: strictly (what the agent's `json.load` accepts) and tolerantly
 * (a tree with offsets that keeps completion and hover working while the text is broken).
 */
export interface ConfigDocument {
  text: string;
  lines: LineIndex;
  strict: StrictJsonResult;
  root?: JsonNode;
  /** Every top-level property in text order, duplicates included. */
  properties: ConfigProperty[];
  /** The property the agent uses for each key: the last one, as Python's dict keeps it. */
  effective: Map<string, ConfigProperty>;
  /**
   * Where the first token jsonc-parser's scanner cannot read starts (past the end when all
   * read), when the tolerant parse of this very text tells; the formatter stops there.
   */
  unreadableFrom?: number;
}

/** Same-length stand-ins so that jsonc-parser builds number nodes at the literals' offsets. */
function maskNonFinite(text: string, strict: StrictJsonResult): string {
  if (strict.nonFiniteLiterals.length === 0 && text.charCodeAt(0) !== 0xfeff) return text;
  const chars = text.split('');
  if (text.charCodeAt(0) === 0xfeff) chars[0] = ' ';
  for (const literal of strict.nonFiniteLiterals) {
    const standIn = '1'.padEnd(literal.length, '0');
    for (let i = 0; i < literal.length; i++) chars[literal.offset + i] = standIn[i];
  }
  return chars.join('');
}

function restoreNonFinite(node: JsonNode, byOffset: Map<number, number>): void {
  // jsonc-parser's nodes are read-only in its typings but plain objects; patching the value in
  // place keeps every consumer (schema validation, hover) seeing what Python sees.
  if (node.type === 'number' && byOffset.has(node.offset)) (node as { value: unknown }).value = byOffset.get(node.offset);
  for (const child of node.children ?? []) restoreNonFinite(child, byOffset);
}

/** `hiddenBom`: the file on disk starts with a BOM that the editor does not show in `text`. */
export function parseConfigDocument(text: string, hiddenBom = false): ConfigDocument {
  const strict = checkStrictJson(text);
  if (hiddenBom) strict.problems.unshift({ kind: 'bomOnDisk', offset: 0, length: 0 });
  const parsedText = maskNonFinite(text, strict);
  const errors: ParseError[] = [];
  const root = parseTree(parsedText, errors, { allowTrailingComma: true, disallowComments: false });
  if (root && strict.nonFiniteLiterals.length > 0) {
    restoreNonFinite(root, new Map(strict.nonFiniteLiterals.map((literal) => [literal.offset, literal.value])));
  }
  const properties: ConfigProperty[] = [];
  if (root?.type === 'object') {
    for (const propertyNode of root.children ?? []) {
      const [keyNode, valueNode] = propertyNode.children ?? [];
      if (keyNode?.type === 'string') properties.push({ key: String(keyNode.value), keyNode, valueNode });
    }
  }
  const effective = new Map<string, ConfigProperty>();
  for (const property of properties) effective.set(property.key, property);
  // A masked text is not the text: its stand-ins read where the literals they replace do not.
  const unreadableFrom = parsedText === text ? firstUnreadableToken(text, errors) : undefined;
  return { text, lines: new LineIndex(text), strict, root, properties, effective, unreadableFrom };
}

/** The raw source text of a node, which tells Python's int from float (`1` vs `1.0`). */
export function nodeText(document: ConfigDocument, node: JsonNode): string {
  return document.text.slice(node.offset, node.offset + node.length);
}
