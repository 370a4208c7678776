import { createScanner, findNodeAtOffset, Node as JsonNode, SyntaxKind } from 'jsonc-parser';
import type { TextSpan } from './tree';

/** Where the comma after `end` ends, skipping comments and whitespace; -1 when none follows. */
function offsetAfterComma(text: string, end: number): number {
  const scanner = createScanner(text, true);
  scanner.setPosition(end);
  return scanner.scan() === SyntaxKind.CommaToken ? scanner.getTokenOffset() + scanner.getTokenLength() : -1;
}

/**
 * Expand Selection following the JSON structure, innermost first: a string's or container's
 * inside, then the whole of it, the property, the property with its comma, and so on outwards.
 */
export function selectionSpans(text: string, root: JsonNode | undefined, offset: number): TextSpan[] {
  const spans: TextSpan[] = [];
  // Each range must hold the one before it (editors drop the whole answer otherwise); nodes
  // of broken text can be shorter than their children, and those are skipped.
  const push = (start: number, end: number): void => {
    const last = spans[spans.length - 1];
    if (last && (start > last.offset || end < last.offset + last.length || end - start === last.length)) return;
    spans.push({ offset: start, length: end - start });
  };
  for (let node = root && findNodeAtOffset(root, offset, true); node; node = node.parent) {
    const end = node.offset + node.length;
    if (node.type === 'string' || node.type === 'object' || node.type === 'array') {
      const inside = { start: node.offset + 1, end: end - 1 };
      if (inside.start < inside.end && offset >= inside.start && offset <= inside.end) push(inside.start, inside.end);
    }
    push(node.offset, end);
    if (node.type === 'property' || node.parent?.type === 'array') {
      const afterComma = offsetAfterComma(text, end);
      if (afterComma !== -1) push(node.offset, afterComma);
    }
  }
  return spans;
}
