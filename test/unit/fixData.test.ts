/**
 * The fix payloads are checked once, where the editor hands them back untyped, and the comment
 * fix keeps a comment's words only where a member can stand.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { keepCommentAsKey } from '../../server/src/codeActions/commentFix';
import { readFixData } from '../../server/src/codeActions/fixData';
import { parseConfigDocument } from '../../server/src/engine/parse/configDocument';

const diagnostic = (data: unknown): Diagnostic => ({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, message: 'm', data });

describe('readFixData', () => {
  test('accepts a payload of the right shape, for each kind of field', () => {
    assert.deepEqual(readFixData(diagnostic({ rule: 'missingKey', key: 'preScriptLocation' })), { rule: 'missingKey', key: 'preScriptLocation' });
    assert.ok(readFixData(diagnostic({ rule: 'unknownKey', key: 'x' })), 'an optional field may be absent');
    assert.ok(readFixData(diagnostic({ rule: 'scriptNotFound', side: 'post', localPath: '/l', vmPath: '/v' })));
    assert.ok(readFixData(diagnostic({ rule: 'shellcheck', fix: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '"' }] })));
  });

  test('refuses unknown rules and payloads that would make a fix misbehave', () => {
    for (const data of [undefined, null, 'crlf', { rule: 'nope' }, { rule: 'toString' }, { rule: 'missingKey' }, { rule: 'missingKey', key: 3 },
      { rule: 'scriptNotFound', side: 'middle', localPath: '/l', vmPath: '/v' }, { rule: 'booleanAsString', replacement: 'false' },
      { rule: 'shellcheck', fix: [{ text: 1 }] }, { rule: 'unknownKey', key: 'x', suggestion: 7 }]) {
      assert.equal(readFixData(diagnostic(data)), undefined, JSON.stringify(data));
    }
  });
});

function keep(text: string, comment: string): string | undefined {
  const document = parseConfigDocument(text);
  const kept = keepCommentAsKey(document, text.indexOf(comment));
  return kept && TextDocument.applyEdits(TextDocument.create('file:///c.json', 'json', 1, text), kept.edits);
}

describe('keeping a comment as a "_comment" key', () => {
  test('before the first member, between members, after the last one (adding its comma), and as a block comment', () => {
    assert.deepEqual(JSON.parse(keep('{\n  // first\n  "a": 1\n}', '// first')!), { _comment: 'first', a: 1 });
    assert.deepEqual(JSON.parse(keep('{\n  "a": 1, // between\n  "b": 2\n}', '// between')!), { a: 1, _comment: 'between', b: 2 });
    assert.deepEqual(JSON.parse(keep('{\n  "a": 1\n  // last\n}', '// last')!), { a: 1, _comment: 'last' });
    assert.deepEqual(JSON.parse(keep('{\n  /* one\n   * two */\n  "a": 1\n}', '/* one')!), { _comment: 'one two', a: 1 });
  });

  test('a second comment gets a key of its own', () => {
    assert.deepEqual(JSON.parse(keep('{\n  "_comment": "x",\n  // again\n  "a": 1\n}', '// again')!), { _comment: 'x', _comment2: 'again', a: 1 });
  });

  test('not where no member can stand: inside a value, a list, a nested object, between a key and its value', () => {
    assert.equal(keep('{\n  "a": /* v */ 1\n}', '/* v */'), undefined);
    assert.equal(keep('{\n  "a" /* k */ : 1\n}', '/* k */'), undefined);
    assert.equal(keep('{\n  "a": [1, // in\n  2]\n}', '// in'), undefined);
    assert.equal(keep('{\n  "a": {\n    // nested\n    "b": 1\n  }\n}', '// nested'), undefined);
    assert.equal(keep('// outside\n{\n  "a": 1\n}', '// outside'), undefined);
  });
});
