import type { Node as JsonNode } from 'jsonc-parser';
import { compactSymbols } from './compactTree';
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

export interface SymbolResult<S = StructureSymbol> {
  symbols: S[];
  limitExceeded: boolean;
}

/**
 * Makes one entry of the outline, in whatever form the caller answers with (its children are
 * filled in after): `start`/`end` span the entry, `selectionStart`/`selectionEnd` its key.
 */
export type SymbolMaker<S extends { children: S[] }> = (name: string, kind: StructureSymbol['kind'], detail: string | undefined, start: number, end: number, selectionStart: number, selectionEnd: number) => S;

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

const structureSymbol: SymbolMaker<StructureSymbol> = (name, kind, detail, start, end, selectionStart, selectionEnd) => ({
  name,
  kind,
  detail,
  span: { offset: start, length: end - start },
  selection: { offset: selectionStart, length: selectionEnd - selectionStart },
  children: [],
});

/** Every key with its value's kind, breadth first so that a limit keeps the outer levels. */
export function documentSymbols(root: JsonNode | undefined, options: SymbolOptions): SymbolResult {
  return documentSymbolsAs(root, options, structureSymbol);
}

/**
 * `documentSymbols`, each entry made by `make` at once: a front end answering with its own
 * symbol type (positions instead of offsets) makes one object per entry instead of two.
 */
export function documentSymbolsAs<S extends { children: S[] }>(root: JsonNode | undefined, options: SymbolOptions, make: SymbolMaker<S>): SymbolResult<S> {
  // The compact tree of a too-large text has its own walk (the same outline, node for node).
  const compact = root && compactSymbols(root, options, make);
  if (compact) return compact;
  const symbols: S[] = [];
  if (!root) return { symbols, limitExceeded: false };
  let remaining = options.resultLimit;
  let limitExceeded = false;
  const queue: Array<{ node: JsonNode; into: S[] }> = [{ node: root, into: symbols }];
  /** False once the limit is reached: there is one more symbol than it allows. */
  const add = (into: S[], name: string, value: JsonNode, whole: JsonNode, selection: JsonNode): boolean => {
    if (remaining <= 0) {
      limitExceeded = true;
      return false;
    }
    remaining--;
    const kind = value.type === 'property' ? 'null' : value.type;
    const detail = options.detailByValueOffset?.get(value.offset) ?? valueDetail(value);
    const symbol = make(name, kind, detail, whole.offset, whole.offset + whole.length, selection.offset, selection.offset + selection.length);
    into.push(symbol);
    if (value.type === 'object' || value.type === 'array') queue.push({ node: value, into: symbol.children });
    return true;
  };
  // Past the limit nothing more is added: the walk stops at the first entry too many.
  for (let next = 0; next < queue.length && !limitExceeded; next++) {
    const { node, into } = queue[next];
    if (node.type === 'array') {
      const elements = node.children ?? [];
      for (let index = 0; index < elements.length; index++) if (!add(into, String(index), elements[index], elements[index], elements[index])) break;
    } else if (node.type === 'object') {
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        // A key still being typed (`"key":` with no value yet) has nothing to show.
        if (key && value && !add(into, String(key.value), value, property, key)) break;
      }
    }
  }
  return { symbols, limitExceeded };
}
