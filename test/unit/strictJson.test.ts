import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeConfigText } from '../../server/src/engine/oneShot';
import { checkStrictJson } from '../../server/src/engine/parse/strictJson';

const valid = '{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"}';

function kinds(text: string): string[] {
  return checkStrictJson(text).problems.map((problem) => problem.kind);
}

describe('strict JSON as Python json.load reads it', () => {
  it('accepts plain JSON, NaN, Infinity and -Infinity, and CRLF line endings', () => {
    assert.deepEqual(kinds(valid), []);
    assert.deepEqual(kinds('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [1, -2.5e3, true, null]}'), []);
    assert.deepEqual(kinds('{\r\n  "a": 1\r\n}\r\n'), []);
  });

  const rejected: Array<[string, string, string]> = [
    ['a line comment', '{\n  // note\n  "a": 1\n}', 'comment'],
    ['a block comment', '{ /* note */ "a": 1 }', 'comment'],
    ['a trailing comma in an object', '{"a": 1,}', 'trailingComma'],
    ['a trailing comma in an array', '{"a": [1, 2,]}', 'trailingComma'],
    ['single quotes', "{'a': 1}", 'singleQuote'],
    ['an unquoted key', '{a: 1}', 'unquotedKey'],
    ['a UTF-8 BOM', `\uFEFF${valid}`, 'bom'],
    ['a tab inside a string', '{"a": "x\ty"}', 'controlCharacter'],
    ['a newline inside a string', '{"a": "x\ny"}', 'controlCharacter'],
    ['an invalid escape', '{"a": "\\x41"}', 'invalidEscape'],
    ['an empty file', '   \n', 'empty'],
    ['a leading zero', '{"a": 01}', 'unexpectedToken'],
    ['a hexadecimal number', '{"a": 0x10}', 'unexpectedToken'],
    ['a lower-case nan', '{"a": nan}', 'unexpectedToken'],
    ['text after the value', '{"a": 1} {"b": 2}', 'extraData'],
    ['an unclosed object', '{"a": 1', 'unexpectedEnd'],
  ];
  for (const [name, text, kind] of rejected) {
    it(`rejects ${name} as ${kind}, with diagnostic IncorrectJSONConfigFile and agent code 305`, () => {
      assert.ok(kinds(text).includes(kind), `expected ${kind} in ${JSON.stringify(kinds(text))}`);
      const result = analyzeConfigText(text);
      const diagnostic = result.diagnostics.find((candidate) => candidate.data?.rule === kind);
      assert.ok(diagnostic, 'a diagnostic names the construct');
      assert.equal(diagnostic.code, 'IncorrectJSONConfigFile');
      assert.equal(diagnostic.severity, 'error');
      assert.equal(result.outcome.code, 305);
      assert.equal(result.effective, null);
    });
  }

  it('reports every comment and trailing comma, each at its own range', () => {
    const text = '{\n  // one\n  "a": [1,],\n  /* two */ "b": 2,\n}';
    const result = analyzeConfigText(text);
    const found = result.diagnostics.filter((d) => d.code === 'IncorrectJSONConfigFile' && d.data?.rule !== 'missingKey');
    assert.deepEqual(
      found.map((d) => [d.data?.rule, d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        ['comment', 1, 2, 8],
        ['trailingComma', 2, 9, 10],
        ['comment', 3, 2, 11],
        ['trailingComma', 3, 18, 19],
      ],
    );
  });

  it('reports a BOM that the editor hid from the text but the file on disk still has', () => {
    const result = analyzeConfigText(valid, { bomOnDisk: true });
    assert.equal(result.outcome.code, 305);
    assert.equal(result.diagnostics[0].data?.rule, 'bomOnDisk');
    assert.equal(analyzeConfigText(valid, { bomOnDisk: false }).outcome.code, 0);
  });

  it('does not call a required key missing when it is only badly quoted', () => {
    const result = analyzeConfigText("{'preScriptLocation': '/a', postScriptLocation: \"/b\"}");
    assert.deepEqual(result.diagnostics.filter((d) => d.data?.rule === 'missingKey'), []);
    assert.deepEqual(result.document.strict.topLevelKeys, ['preScriptLocation', 'postScriptLocation']);
  });

  it('keeps a tolerant tree for editing while the text is broken', () => {
    const result = analyzeConfigText('{\n  // note\n  "timeoutInSeconds": 60,\n  "preScriptLocation": "/a",\n}');
    assert.deepEqual(
      result.document.properties.map((property) => property.key),
      ['timeoutInSeconds', 'preScriptLocation'],
    );
  });

  it('reads NaN and Infinity as the numbers Python gives the agent', () => {
    const result = analyzeConfigText('{"preScriptLocation": "/a", "postScriptLocation": "/b", "timeoutInSeconds": Infinity, "preScriptParams": [NaN, -Infinity]}');
    assert.equal(result.outcome.code, 0);
    assert.equal(result.effective?.timeoutInSeconds, 1800);
    assert.deepEqual(result.effective?.preScriptArgv, ['sh', '/a', 'nan', '-inf']);
    assert.ok(result.diagnostics.some((d) => d.code === 'NonFiniteNumber'));
  });
});
