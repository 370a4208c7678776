import { findNodeAtOffset, Node as JsonNode } from 'jsonc-parser';
import { propertyOfKey, TextSpan } from './tree';

export interface KeyHighlight extends TextSpan {
  /** The occurrence Python's json.load keeps: the last one of the object. */
  effective: boolean;
}

/** The key under the cursor and every duplicate of it in the same object. */
export function keyHighlights(root: JsonNode | undefined, offset: number): KeyHighlight[] {
  const property = propertyOfKey(root && findNodeAtOffset(root, offset, true));
  const object = property?.parent;
  if (!property || !object) return [];
  const name = property.children![0].value as string;
  const keys = (object.children ?? []).map((sibling) => sibling.children?.[0]).filter((key): key is JsonNode => key?.type === 'string' && key.value === name);
  return keys.map((key, index) => ({ offset: key.offset, length: key.length, effective: index === keys.length - 1 }));
}
