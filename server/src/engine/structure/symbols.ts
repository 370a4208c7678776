import type { Node as JsonNode } from 'jsonc-parser';
import type { TextSpan } from './tree';

export type ValueKind = JsonNode['type'];

/** One entry of the outline: a key (or an array element, named by its index) and its value's kind. */
export interface StructureSymbol {
  name: string;
  kind: Exclude<ValueKind, 'property'>;
  /** The scalar value, `[]`/`{}` for empty containers, or what the caller says about this value. */
  detail?: string;
  span: TextSpan;
  /** The key (or the element itself) that the editor selects and reveals. */
  selection: TextSpan;
  children: StructureSymbol[];
}

export interface SymbolOptions {
  /** At most this many symbols, outer levels first, like VS Code's `json.maxItemsComputed`. */
  resultLimit: number;
  /** A detail to show instead of the value, by the value node's offset (the resolved scripts). */
  detailByValueOffset?: ReadonlyMap<number, string>;
}

export interface SymbolResult {
  symbols: StructureSymbol[];
  limitExceeded: boolean;
}

function valueDetail(node: JsonNode): string | undefined {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return String(node.value);
    case 'array':
      return node.children?.length ? undefined : '[]';
    case 'object':
      return node.children?.length ? undefined : '{}';
    default:
      return undefined;
  }
}

const span = (node: JsonNode): TextSpan => ({ offset: node.offset, length: node.length });

/** Every key with its value's kind, breadth first so that a limit keeps the outer levels. */
export function documentSymbols(root: JsonNode | undefined, options: SymbolOptions): SymbolResult {
  const symbols: StructureSymbol[] = [];
  if (!root) return { symbols, limitExceeded: false };
  let remaining = options.resultLimit;
  let limitExceeded = false;
  const queue: Array<{ node: JsonNode; into: StructureSymbol[] }> = [{ node: root, into: symbols }];
  const add = (into: StructureSymbol[], name: string, value: JsonNode, whole: JsonNode, selection: JsonNode): void => {
    if (remaining <= 0) {
      limitExceeded = true;
      return;
    }
    remaining--;
    const kind = value.type === 'property' ? 'null' : value.type;
    const symbol: StructureSymbol = { name, kind, detail: options.detailByValueOffset?.get(value.offset) ?? valueDetail(value), span: span(whole), selection: span(selection), children: [] };
    into.push(symbol);
    if (value.type === 'object' || value.type === 'array') queue.push({ node: value, into: symbol.children });
  };
  for (let next = 0; next < queue.length; next++) {
    const { node, into } = queue[next];
    if (node.type === 'array') {
      (node.children ?? []).forEach((element, index) => add(into, String(index), element, element, element));
    } else if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        // A key still being typed (`"key":` with no value yet) has nothing to show.
        if (key && value) add(into, String(key.value), value, property, key);
      }
    }
  }
  return { symbols, limitExceeded };
}
