import { createScanner, JSONScanner, JSONVisitor, Node as JsonNode, ParseError, ParseOptions, visit } from 'jsonc-parser';
import type { StructureSymbol, SymbolMaker, SymbolOptions, SymbolResult } from './symbols';

/**
 * jsonc-parser's `parseTree` for texts too large to analyse (a 5 MB config, say): the same tree,
 * node for node, but kept in typed arrays until a feature asks for a node. `parseTree` makes a
 * few objects per token of the text, and a tree of hundreds of thousands of objects made just
 * before a request is what the garbage collector copies during that request (young objects that
 * survive are moved): Format Document on a fresh version of a 5 MB text paid for it every time.
 * Typed arrays live outside the JavaScript heap, and the outline walks them without making nodes.
 */

const enum Kind {
  Object,
  Array,
  Property,
  String,
  Number,
  True,
  False,
  Null,
}

const TYPES: readonly JsonNode['type'][] = ['object', 'array', 'property', 'string', 'number', 'boolean', 'boolean', 'null'];
const NONE = -1;
const PARSE_OPTIONS: ParseOptions = { allowTrailingComma: true, disallowComments: false };

function literalKind(value: unknown): Kind {
  if (value === null) return Kind.Null;
  if (value === true) return Kind.True;
  if (value === false) return Kind.False;
  return typeof value === 'number' ? Kind.Number : Kind.String;
}

/** Growable columns of node fields; index 0 is the artificial root that `parseTree` uses too. */
export class NodeColumns {
  count = 0;
  kinds: Uint8Array;
  offsets: Int32Array;
  lengths: Int32Array;
  colons: Int32Array;
  parents: Int32Array;
  firstChildren: Int32Array;
  lastChildren: Int32Array;
  nextSiblings: Int32Array;

  /** `capacity`: a guess at the node count; the columns double when it is short. */
  constructor(capacity: number) {
    this.kinds = new Uint8Array(capacity);
    this.offsets = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.colons = new Int32Array(capacity);
    this.parents = new Int32Array(capacity);
    this.firstChildren = new Int32Array(capacity);
    this.lastChildren = new Int32Array(capacity);
    this.nextSiblings = new Int32Array(capacity);
  }

  add(kind: Kind, offset: number, length: number, parent: number): number {
    if (this.count === this.kinds.length) this.grow();
    const index = this.count++;
    this.kinds[index] = kind;
    this.offsets[index] = offset;
    this.lengths[index] = length;
    this.colons[index] = NONE;
    this.parents[index] = parent;
    this.firstChildren[index] = NONE;
    this.lastChildren[index] = NONE;
    this.nextSiblings[index] = NONE;
    if (parent !== NONE) {
      if (this.lastChildren[parent] === NONE) this.firstChildren[parent] = index;
      else this.nextSiblings[this.lastChildren[parent]] = index;
      this.lastChildren[parent] = index;
    }
    return index;
  }

  private grow(): void {
    const size = this.kinds.length * 2;
    const widen = <T extends Uint8Array | Int32Array>(column: T, make: (size: number) => T): T => {
      const wider = make(size);
      wider.set(column);
      return wider;
    };
    this.kinds = widen(this.kinds, (n) => new Uint8Array(n));
    this.offsets = widen(this.offsets, (n) => new Int32Array(n));
    this.lengths = widen(this.lengths, (n) => new Int32Array(n));
    this.colons = widen(this.colons, (n) => new Int32Array(n));
    this.parents = widen(this.parents, (n) => new Int32Array(n));
    this.firstChildren = widen(this.firstChildren, (n) => new Int32Array(n));
    this.lastChildren = widen(this.lastChildren, (n) => new Int32Array(n));
    this.nextSiblings = widen(this.nextSiblings, (n) => new Int32Array(n));
  }
}

/** `parseTree`'s visitor, writing columns instead of objects (its steps, in its order). */
function buildColumns(text: string, errors: ParseError[]): NodeColumns {
  // About one node per 32 characters, as in a config of short keys and values: no copies for those.
  const columns = new NodeColumns(Math.max(1024, Math.ceil(text.length / 32)));
  let current = columns.add(Kind.Array, -1, -1, NONE);
  const completeProperty = (end: number): void => {
    if (columns.kinds[current] === Kind.Property) {
      columns.lengths[current] = end - columns.offsets[current];
      current = columns.parents[current];
    }
  };
  const endContainer = (offset: number, length: number): void => {
    columns.lengths[current] = offset + length - columns.offsets[current];
    current = columns.parents[current];
    completeProperty(offset + length);
  };
  const visitor: JSONVisitor = {
    onObjectBegin: (offset) => {
      current = columns.add(Kind.Object, offset, -1, current);
    },
    onObjectProperty: (_name, offset, length) => {
      current = columns.add(Kind.Property, offset, -1, current);
      columns.add(Kind.String, offset, length, current);
    },
    onObjectEnd: (offset, length) => {
      completeProperty(offset + length);
      endContainer(offset, length);
    },
    onArrayBegin: (offset) => {
      current = columns.add(Kind.Array, offset, -1, current);
    },
    onArrayEnd: endContainer,
    onLiteralValue: (value, offset, length) => {
      columns.add(literalKind(value), offset, length, current);
      completeProperty(offset + length);
    },
    onSeparator: (separator, offset) => {
      if (columns.kinds[current] !== Kind.Property) return;
      if (separator === ':') columns.colons[current] = offset;
      else if (separator === ',') completeProperty(offset);
    },
    onError: (error, offset, length) => {
      errors.push({ error, offset, length });
    },
  };
  visit(text, visitor, PARSE_OPTIONS);
  return columns;
}

/** A node of the tree, made on first use and then kept, so that `a.parent.children[0] === a` holds. */
class CompactNode implements JsonNode {
  readonly type: JsonNode['type'];
  readonly offset: number;
  readonly length: number;
  readonly colonOffset?: number;
  private madeChildren?: JsonNode[];

  constructor(
    readonly tree: CompactTree,
    readonly index: number,
  ) {
    const { kinds, offsets, lengths, colons } = tree.columns;
    this.type = TYPES[kinds[index]];
    this.offset = offsets[index];
    this.length = lengths[index];
    if (colons[index] !== NONE) this.colonOffset = colons[index];
  }

  get parent(): JsonNode | undefined {
    const parent = this.tree.columns.parents[this.index];
    return parent > 0 ? this.tree.node(parent) : undefined;
  }

  get children(): JsonNode[] | undefined {
    if (this.type !== 'object' && this.type !== 'array' && this.type !== 'property') return undefined;
    if (!this.madeChildren) {
      const { firstChildren, nextSiblings } = this.tree.columns;
      this.madeChildren = [];
      for (let child = firstChildren[this.index]; child !== NONE; child = nextSiblings[child]) this.madeChildren.push(this.tree.node(child));
    }
    return this.madeChildren;
  }

  get value(): unknown {
    return this.tree.valueOf(this.index);
  }
}

export class CompactTree {
  private nodes?: Array<CompactNode | undefined>;
  private scanner?: JSONScanner;

  constructor(
    private readonly text: string,
    readonly columns: NodeColumns,
  ) {}

  /** The root value, as `parseTree` returns it. */
  get root(): JsonNode | undefined {
    const first = this.columns.firstChildren[0];
    return first === NONE ? undefined : this.node(first);
  }

  node(index: number): CompactNode {
    this.nodes ??= new Array<CompactNode | undefined>(this.columns.count);
    return (this.nodes[index] ??= new CompactNode(this, index));
  }

  /** A literal's value, read again from its token as the parse read it. */
  valueOf(index: number): unknown {
    switch (this.columns.kinds[index]) {
      case Kind.True:
        return true;
      case Kind.False:
        return false;
      case Kind.Null:
        return null;
      case Kind.String:
        return this.tokenValue(index);
      case Kind.Number: {
        // jsonc-parser's visitor reports a number it cannot read as 0.
        const value = Number(this.tokenValue(index));
        return Number.isNaN(value) ? 0 : value;
      }
      default:
        return undefined;
    }
  }

  private tokenValue(index: number): string {
    // A string token that ends in a quote and holds no escape is what is between its quotes.
    const start = this.columns.offsets[index];
    const end = start + this.columns.lengths[index];
    if (this.columns.kinds[index] === Kind.String && end - start >= 2 && this.text.charCodeAt(end - 1) === 0x22) {
      const inside = this.text.slice(start + 1, end - 1);
      if (!inside.includes('\\')) return inside;
    }
    this.scanner ??= createScanner(this.text, false);
    this.scanner.setPosition(this.columns.offsets[index]);
    this.scanner.scan();
    return this.scanner.getTokenValue();
  }
}

/**
 * `documentSymbolsAs` over the columns themselves, in one loop: no node is made, and the first
 * outline of a version (code not yet optimized for it) runs few calls per entry.
 */
function compactOutline<S extends { children: S[] }>(tree: CompactTree, rootIndex: number, options: SymbolOptions, make: SymbolMaker<S>): SymbolResult<S> {
  const { kinds, offsets, lengths, firstChildren, nextSiblings } = tree.columns;
  const symbols: S[] = [];
  const queue: Array<{ index: number; into: S[] }> = [{ index: rootIndex, into: symbols }];
  let remaining = options.resultLimit;
  let limitExceeded = false;
  for (let next = 0; next < queue.length && !limitExceeded; next++) {
    const { index, into } = queue[next];
    const isArray = kinds[index] === Kind.Array;
    if (!isArray && kinds[index] !== Kind.Object) continue;
    let position = 0;
    for (let child = firstChildren[index]; child !== NONE; child = nextSiblings[child]) {
      // An element is its own selection; a property is selected by its key and shows its value.
      const key = isArray ? child : firstChildren[child];
      const value = isArray ? child : key === NONE ? NONE : nextSiblings[key];
      // A key still being typed (`"key":` with no value yet) has nothing to show.
      if (value === NONE) continue;
      if (remaining <= 0) {
        limitExceeded = true;
        break;
      }
      remaining--;
      const kind = kinds[value];
      const isContainer = kind === Kind.Object || kind === Kind.Array;
      const name = isArray ? String(position++) : String(tree.valueOf(key));
      const emptyContainer = kind === Kind.Array ? '[]' : '{}';
      const detail = options.detailByValueOffset?.get(offsets[value]) ?? (isContainer ? (firstChildren[value] === NONE ? emptyContainer : undefined) : String(tree.valueOf(value)));
      const symbol = make(name, TYPES[kind] as StructureSymbol['kind'], detail, offsets[child], offsets[child] + lengths[child], offsets[key], offsets[key] + lengths[key]);
      into.push(symbol);
      if (isContainer) queue.push({ index: value, into: symbol.children });
    }
  }
  return { symbols, limitExceeded };
}

/** The outline of a compact tree's root, or undefined for jsonc-parser's own nodes. */
export function compactSymbols<S extends { children: S[] }>(root: JsonNode, options: SymbolOptions, make: SymbolMaker<S>): SymbolResult<S> | undefined {
  return root instanceof CompactNode ? compactOutline(root.tree, root.index, options, make) : undefined;
}

/** Parses like `parseTree(text, errors, { allowTrailingComma: true, disallowComments: false })`. */
export function parseCompactTree(text: string, errors: ParseError[]): CompactTree {
  return new CompactTree(text, buildColumns(text, errors));
}
