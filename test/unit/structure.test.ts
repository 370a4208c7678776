/**
 * The structural features on any text: formatting only ever moves whitespace (every token and
 * comment stays, in order), formats valid JSON to the same value and is stable; Expand Selection
 * always grows. Random texts from the property generators and fast-check's own JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { createScanner, Node as JsonNode, parseTree, SyntaxKind } from 'jsonc-parser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseConfigDocument } from '../../server/src/engine/parse/configDocument';
import { formatConfigText, FormatOptions } from '../../server/src/engine/structure/format';
import { keyHighlights } from '../../server/src/engine/structure/highlights';
import { selectionSpans } from '../../server/src/engine/structure/selection';
import { documentSymbols } from '../../server/src/engine/structure/symbols';
import { parseStructure } from '../../server/src/engine/structure/tree';
import { mutatedConfig, randomText, VALID_CONFIGS } from './propertyGenerators';

const seed = process.env.VMSNAPSHOT_PROPERTY_SEED === undefined ? undefined : Number(process.env.VMSNAPSHOT_PROPERTY_SEED);

function format(text: string, options: FormatOptions): string {
  const edits = formatConfigText(text, undefined, options).map((edit) => ({
    range: { start: TextDocument.create('x', 'x', 1, text).positionAt(edit.offset), end: TextDocument.create('x', 'x', 1, text).positionAt(edit.offset + edit.length) },
    newText: edit.content,
  }));
  return TextDocument.applyEdits(TextDocument.create('x', 'x', 1, text), edits);
}

/** Every token but whitespace and line breaks, comments included, with its exact text. */
function tokens(text: string): string[] {
  const scanner = createScanner(text, false);
  const found: string[] = [];
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind !== SyntaxKind.Trivia && kind !== SyntaxKind.LineBreakTrivia) found.push(text.substr(scanner.getTokenOffset(), scanner.getTokenLength()));
  }
  return found;
}

const formatOptions = fc.record({ tabSize: fc.integer({ min: 1, max: 8 }), insertSpaces: fc.boolean(), insertFinalNewline: fc.boolean() });

describe('formatting never drops or changes content', () => {
  it('keeps every token and comment of any text, in order', () => {
    fc.assert(
      fc.property(fc.oneof(randomText, mutatedConfig), formatOptions, (text, options) => {
        assert.deepEqual(tokens(format(text, options)), tokens(text));
      }),
      { numRuns: 500, seed },
    );
  });

  it('formats valid JSON to the same value, and a second time changes nothing', () => {
    fc.assert(
      fc.property(fc.json(), formatOptions, (json, options) => {
        const once = format(json, options);
        assert.deepEqual(JSON.parse(once), JSON.parse(json));
        assert.equal(format(once, options), once);
      }),
      { numRuns: 500, seed },
    );
  });
});

describe('formatting with what the parse of the text already knows', () => {
  // The server hands the formatter the first unreadable token from the version's parse instead
  // of scanning a large text again: it must stop its edits exactly where the scan would.
  const samples = ['\ufeff{"a": 1}', '{"a": Infinity, "b":\n1}',  '{"a": 1}', '{"a": "unterminated}', '{"a": 1} @ {"b":\n 2}', '{"a": 1} {"b": "x', '{ /* open comment', '{"a": "\\u00zz", "b": 1}', '{"a": 01, "b": [1,]}', ']', '{"a": NaN}'];
  for (const text of samples) {
    it(`stops where the rescan stops: ${JSON.stringify(text)}`, () => {
      const options = { tabSize: 2, insertSpaces: true };
      assert.deepEqual(formatConfigText(text, undefined, options, parseStructure(text).unreadableFrom), formatConfigText(text, undefined, options));
      assert.deepEqual(formatConfigText(text, undefined, options, parseConfigDocument(text).unreadableFrom), formatConfigText(text, undefined, options));
    });
  }

  it('gives the same edits on any text, from the structure parse and from the analysis parse', () => {
    fc.assert(
      fc.property(fc.oneof(randomText, mutatedConfig), formatOptions, (text, options) => {
        const rescanned = formatConfigText(text, undefined, options);
        assert.deepEqual(formatConfigText(text, undefined, options, parseStructure(text).unreadableFrom), rescanned);
        assert.deepEqual(formatConfigText(text, undefined, options, parseConfigDocument(text).unreadableFrom), rescanned);
      }),
      { numRuns: 1000, seed },
    );
  });

  it('knows when every token reads, and where the first that does not starts', () => {
    assert.equal(parseStructure('{"a": [1, 2]}').unreadableFrom, 14);
    assert.equal(parseStructure('{"a": 1, "b": "x\n"}').unreadableFrom, 14);
    // A second root value stops the parse before the end: it cannot tell.
    assert.equal(parseStructure('{} {"a": "x').unreadableFrom, undefined);
  });
});

describe('selection ranges', () => {
  it('each range holds the one before it', () => {
    fc.assert(
      fc.property(fc.oneof(randomText, mutatedConfig), fc.nat(), (text, at) => {
        const offset = at % (text.length + 1);
        const spans = selectionSpans(text, parseConfigDocument(text).root, offset);
        for (let i = 1; i < spans.length; i++) {
          const [inner, outer] = [spans[i - 1], spans[i]];
          assert.ok(outer.offset <= inner.offset && outer.offset + outer.length >= inner.offset + inner.length && outer.length > inner.length, JSON.stringify({ text, offset, spans }));
        }
        if (spans.length > 0) assert.ok(spans[0].offset <= offset && offset <= spans[0].offset + spans[0].length);
      }),
      { numRuns: 500, seed },
    );
  });
});

/** A node's fields as read through its properties, children included, and whether each child points back to it. */
function plain(node: JsonNode | undefined): unknown {
  if (!node) return undefined;
  return {
    type: node.type,
    offset: node.offset,
    length: node.length,
    colonOffset: node.colonOffset,
    value: node.value,
    children: node.children?.map((child) => ({ node: plain(child), parentIsThis: child.parent === node })),
  };
}

describe('the tree of texts too large to analyse (compact, made on demand)', () => {
  const parsed = (text: string) => parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  // Broken texts where the parse recovers: numbers it cannot read (0 for jsonc-parser), keys
  // without values, strings cut by a line break, escapes, comments, a BOM, a second root value.
  const broken = ['{"a": -, "b": [1, -x, 2.]}', '{"a" "b": 1, "c":}', '{"a": "x\n", "b": "\\u00e9\\"}', '\ufeff{"a": /* c */ [1,], // d\n}', '{"a": {"b": [}, "c": 3]', '{} {"a": 1}', ':', '[1 2 {"a" 3}]'];
  const texts = fc.oneof(randomText, mutatedConfig, fc.json(), fc.constantFrom(...VALID_CONFIGS, ...broken));

  it("is jsonc-parser's parseTree, node for node, on any text", () => {
    fc.assert(
      fc.property(texts, (text) => {
        const root = parseStructure(text).root;
        assert.deepEqual(plain(root), plain(parsed(text)));
        assert.equal(root?.parent, undefined);
      }),
      { numRuns: 1000, seed },
    );
  });

  it('gives the same outline, selection ranges and key highlights as that tree', () => {
    fc.assert(
      fc.property(texts, fc.nat(), fc.integer({ min: 1, max: 40 }), (text, at, resultLimit) => {
        const ours = parseStructure(text).root;
        const theirs = parsed(text);
        assert.deepEqual(documentSymbols(ours, { resultLimit }), documentSymbols(theirs, { resultLimit }));
        const offset = at % (text.length + 1);
        assert.deepEqual(selectionSpans(text, ours, offset), selectionSpans(text, theirs, offset));
        assert.deepEqual(keyHighlights(ours, offset), keyHighlights(theirs, offset));
      }),
      { numRuns: 1000, seed },
    );
  });

  it('makes a node once: a key is the first child of its own property', () => {
    const root = parseStructure('{"a": [1, {"b": null}]}').root!;
    const property = root.children![0];
    assert.equal(property.children![0].parent, property);
    assert.equal(root.children![0], property);
    assert.deepEqual(property.children![1].children!.map((node) => node.value), [1, undefined]);
  });
});
