/**
 * What VS Code's JSON support gives a `.json` file, served by our server for the config's own
 * language: formatting, document symbols, folding, selection ranges and key highlights — over
 * stdio, against the bundled server, with the formatted texts loaded by Python's json.load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DocumentHighlight,
  DocumentHighlightKind,
  DocumentSymbol,
  FoldingRange,
  FormattingOptions,
  Position,
  Range,
  SelectionRange,
  SymbolKind,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { LspClient, withClient } from './lspClient';

const hasPython = spawnSync('python3', ['--version']).status === 0;

let vm: VmRoot;
let configUri: string;

before(() => {
  vm = new VmRoot();
  vm.writeScripts('/etc/azure/pre-script.sh');
  vm.write(CONFIG_PATH, { content: '{}\n' });
  configUri = vm.uri(CONFIG_PATH);
});

after(() => vm.remove());

function apply(text: string, edits: TextEdit[] | null): string {
  return TextDocument.applyEdits(TextDocument.create(configUri, 'vmsnapshot-config', 1, text), edits ?? []);
}

async function format(client: LspClient, text: string, options: FormattingOptions, uri = configUri): Promise<string> {
  await client.open(uri, text);
  const edits = await client.request<TextEdit[] | null>('textDocument/formatting', { textDocument: { uri }, options });
  await client.close(uri);
  return apply(text, edits);
}

/** Python's json.load on each text from a file, as the agent reads the config: equal objects, or why not. */
function pythonLoadsSame(original: string, formatted: string): { ok: boolean; error: string } {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-python-'));
  try {
    fs.writeFileSync(path.join(folder, 'a.json'), original);
    fs.writeFileSync(path.join(folder, 'b.json'), formatted);
    const program = 'import json,sys\na=json.load(open(sys.argv[1]))\nb=json.load(open(sys.argv[2]))\nsys.exit(0 if a==b else 3)';
    const run = spawnSync('python3', ['-c', program, path.join(folder, 'a.json'), path.join(folder, 'b.json')], { encoding: 'utf8' });
    return { ok: run.status === 0, error: run.status === 3 ? 'the objects differ' : run.stderr };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

const SPACES: FormattingOptions = { tabSize: 2, insertSpaces: true };

const MINIFIED =
  '{"pluginName":"ScriptRunner","preScriptLocation":"/etc/azure/pre-script.sh","postScriptLocation":"/etc/azure/post-script.sh","preScriptParams":["--log","/var/log/a b.log"],"timeoutInSeconds":60,"continueBackupOnFailure":true,"fsFreezeEnabled":false,"ScriptsExecutionPollTimeSeconds":3.0,"postScriptParams":[]}\n';

const FORMATTED = [
  '{',
  '  "pluginName": "ScriptRunner",',
  '  "preScriptLocation": "/etc/azure/pre-script.sh",',
  '  "postScriptLocation": "/etc/azure/post-script.sh",',
  '  "preScriptParams": [',
  '    "--log",',
  '    "/var/log/a b.log"',
  '  ],',
  '  "timeoutInSeconds": 60,',
  '  "continueBackupOnFailure": true,',
  '  "fsFreezeEnabled": false,',
  '  "ScriptsExecutionPollTimeSeconds": 3.0,',
  '  "postScriptParams": []',
  '}',
  '',
].join('\n');

describe('formatting', () => {
  test('strict JSON in, strict JSON out: indented as asked, the same object for Python, and stable', { skip: hasPython ? false : 'python3 is not installed' }, async () => {
    await withClient({}, async (client) => {
      const formatted = await format(client, MINIFIED, SPACES);
      assert.equal(formatted, FORMATTED);
      const loaded = pythonLoadsSame(MINIFIED, formatted);
      assert.ok(loaded.ok, loaded.error);
      assert.equal(await format(client, formatted, SPACES), formatted, 'formatting twice changes nothing');
      await client.open(configUri, formatted);
      assert.deepEqual(await client.request('textDocument/formatting', { textDocument: { uri: configUri }, options: SPACES }), [], 'no edits for a formatted file');
    });
  });

  test('honours the tab size, tabs, the line breaks the file has and files.insertFinalNewline', async () => {
    await withClient({}, async (client) => {
      const tabs = await format(client, MINIFIED, { tabSize: 4, insertSpaces: false });
      assert.equal(tabs, FORMATTED.replace(/^( {2})+/gm, (indent) => '\t'.repeat(indent.length / 2)));
      const four = await format(client, MINIFIED, { tabSize: 4, insertSpaces: true });
      assert.equal(four, FORMATTED.replace(/^( {2})+/gm, (indent) => indent + indent));

      const crlf = FORMATTED.replace(/\n/g, '\r\n').replace('  "pluginName"', '"pluginName"');
      assert.equal(await format(client, crlf, SPACES), FORMATTED.replace(/\n/g, '\r\n'), 'a CRLF file stays CRLF');

      const noFinal = MINIFIED.trimEnd();
      assert.equal(await format(client, noFinal, SPACES), FORMATTED.trimEnd(), 'no final newline added unless asked');
      assert.equal(await format(client, noFinal, { ...SPACES, insertFinalNewline: true }), FORMATTED, 'files.insertFinalNewline adds it');
      assert.equal(await format(client, MINIFIED, { ...SPACES, insertFinalNewline: false }), FORMATTED, 'an existing final newline is kept');
    });
  });

  test('a one-line file gets the line break of files.eol from the client', async () => {
    await withClient({ configuration: true }, async (client) => {
      client.otherSections.files = { eol: '\r\n' };
      const formatted = await format(client, MINIFIED.trimEnd(), { ...SPACES, insertFinalNewline: true });
      assert.equal(formatted, FORMATTED.replace(/\n/g, '\r\n'));
    });
  });

  test('comments and trailing commas are formatted and kept; the strict-JSON diagnostics stay for the fixes', { skip: hasPython ? false : 'python3 is not installed' }, async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const text = '{ // the sample we started from\n"preScriptLocation": "/etc/azure/pre-script.sh", /* keep */ "postScriptLocation":"/etc/azure/post-script.sh",\n}\n';
      const formatted = await format(client, text, SPACES);
      assert.equal(formatted, '{ // the sample we started from\n  "preScriptLocation": "/etc/azure/pre-script.sh", /* keep */\n  "postScriptLocation": "/etc/azure/post-script.sh",\n}\n');
      await client.open(configUri, formatted);
      const codes = (await client.pullDiagnostics(configUri)).map((diagnostic) => diagnostic.code);
      assert.ok(codes.includes('IncorrectJSONConfigFile'), `expected the strict-JSON findings to remain, got ${JSON.stringify(codes)}`);
      assert.equal(pythonLoadsSame(formatted, formatted).ok, false, 'Python still refuses it: formatting fixed nothing silently');
    });
  });

  test('a broken config is never cut: the formatter stops at what it cannot read', async () => {
    await withClient({}, async (client) => {
      const text = '{"preScriptLocation": "/etc/azure/pre-script.sh", "postScriptLocation": \'/etc/azure/post.sh\' , "timeoutInSeconds":   30}';
      const formatted = await format(client, text, SPACES);
      assert.equal(formatted.replace(/\s+/g, ''), text.replace(/\s+/g, ''), 'only whitespace changed');
      assert.ok(formatted.includes("'/etc/azure/post.sh'"));
    });
  });

  test('range formatting changes only the lines of the range, from their own indentation (as VS Code\'s JSON does)', async () => {
    await withClient({}, async (client) => {
      const text = '{\n"pluginName":   "ScriptRunner",\n      "timeoutInSeconds":60,\n"fsFreezeEnabled":true\n}\n';
      await client.open(configUri, text);
      const edits = await client.request<TextEdit[]>('textDocument/rangeFormatting', { textDocument: { uri: configUri }, range: Range.create(2, 0, 2, 28), options: SPACES });
      assert.equal(apply(text, edits), '{\n"pluginName":   "ScriptRunner",\n      "timeoutInSeconds": 60,\n"fsFreezeEnabled":true\n}\n');
    });
  });
});

// --- document symbols ----------------------------------------------------------------------

function symbolSummary(symbols: DocumentSymbol[]): unknown[] {
  return symbols.map((symbol) => [symbol.name, symbol.kind, symbol.detail ?? null, ...(symbol.children?.length ? [symbolSummary(symbol.children)] : [])]);
}

describe('document symbols', () => {
  test('every key with its value kind; the script locations show where the script resolves', async () => {
    await withClient({}, async (client) => {
      const text = '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocation": "/etc/azure/missing.sh",\n  "preScriptParams": ["--log", 3],\n  "timeoutInSeconds": 60,\n  "fsFreezeEnabled": true,\n  "appName": null,\n  "extra": {}\n}\n';
      await client.open(configUri, text);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: configUri } });
      const pre = vm.local('/etc/azure/pre-script.sh');
      const missing = vm.local('/etc/azure/missing.sh');
      assert.deepEqual(symbolSummary(symbols), [
        ['pluginName', SymbolKind.String, 'ScriptRunner'],
        ['preScriptLocation', SymbolKind.String, `/etc/azure/pre-script.sh → ${pre}`],
        ['postScriptLocation', SymbolKind.String, `/etc/azure/missing.sh → ${missing} (not found)`],
        ['preScriptParams', SymbolKind.Array, null, [['0', SymbolKind.String, '--log'], ['1', SymbolKind.Number, '3']]],
        ['timeoutInSeconds', SymbolKind.Number, '60'],
        ['fsFreezeEnabled', SymbolKind.Boolean, 'true'],
        ['appName', SymbolKind.Variable, 'null'],
        ['extra', SymbolKind.Module, '{}'],
      ]);
      const doc = TextDocument.create(configUri, 'x', 1, text);
      const timeout = symbols.find((symbol) => symbol.name === 'timeoutInSeconds')!;
      assert.equal(doc.getText(timeout.range), '"timeoutInSeconds": 60');
      assert.equal(doc.getText(timeout.selectionRange), '"timeoutInSeconds"');
    });
  });

  test('a config too large to analyse still has an outline, capped at 5000 entries outer levels first', async () => {
    await withClient({}, async (client) => {
      const elements = Array.from({ length: 30_000 }, (_, i) => `    "--arg-${i}=${'x'.repeat(30)}"`);
      const text = `{\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "preScriptParams": [\n${elements.join(',\n')}\n  ],\n  "timeoutInSeconds": 60\n}\n`;
      assert.ok(text.length > 1024 * 1024, 'the text is past the analysis limit');
      await client.open(configUri, text);
      const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: configUri } });
      assert.deepEqual(symbols.map((symbol) => symbol.name), ['preScriptLocation', 'preScriptParams', 'timeoutInSeconds']);
      assert.equal(symbols[1].children?.length, 5000 - 3);
      assert.equal(symbols[1].children?.[0].detail, `--arg-0=${'x'.repeat(30)}`);
      assert.ok(!('children' in symbols[1].children![0]), 'a leaf carries no empty children list');
      assert.ok(!('children' in symbols[0]));
    });
  });
});

// --- folding, selection, highlights ----------------------------------------------------------

const NESTED = [
  '{', //                                   0
  '  /* a comment', //                       1
  '     on two lines */', //                 2
  '  "preScriptParams": [', //               3
  '    "--log",', //                         4
  '    "/var/log/backup.log"', //            5
  '  ],', //                                 6
  '  // #region timing', //                  7
  '  "timeoutInSeconds": 60,', //            8
  '  "timeoutInSeconds": 90', //             9
  '  // #endregion', //                      10
  '}', //                                    11
  '',
].join('\n');

describe('folding ranges', () => {
  test('objects and arrays that span lines, block comments and regions, as VS Code folds JSON', async () => {
    await withClient({}, async (client) => {
      await client.open(configUri, NESTED);
      const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: configUri } });
      assert.deepEqual(ranges, [
        { startLine: 0, endLine: 10 },
        { startLine: 1, endLine: 2, kind: 'comment' },
        { startLine: 3, endLine: 5 },
        { startLine: 7, endLine: 10, kind: 'region' },
      ]);
    });
  });

  test('keeps the outer levels within the client\'s rangeLimit', async () => {
    await withClient({ textDocument: { foldingRange: { rangeLimit: 2 } } }, async (client) => {
      const text = '{\n  "a": {\n    "b": [\n      1\n    ]\n  },\n  "c": {\n    "d": 1\n  }\n}\n';
      await client.open(configUri, text);
      const ranges = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: configUri } });
      assert.deepEqual(ranges, [{ startLine: 0, endLine: 8 }]);
    });
  });
});

function chain(document: TextDocument, range: SelectionRange | undefined): string[] {
  const texts: string[] = [];
  for (let current = range; current; current = current.parent) texts.push(document.getText(current.range));
  return texts;
}

describe('selection ranges', () => {
  test('Expand Selection follows the JSON structure, from inside a string to the whole document', async () => {
    await withClient({}, async (client) => {
      const text = '{"preScriptParams": ["--log", "/var/log/backup.log"], "timeoutInSeconds": 60}';
      const document = TextDocument.create(configUri, 'x', 1, text);
      await client.open(configUri, text);
      const position: Position = document.positionAt(text.indexOf('log"') + 1);
      const [range] = await client.request<SelectionRange[]>('textDocument/selectionRange', { textDocument: { uri: configUri }, positions: [position] });
      assert.deepEqual(chain(document, range), [
        '--log',
        '"--log"',
        '"--log",',
        '"--log", "/var/log/backup.log"',
        '["--log", "/var/log/backup.log"]',
        '"preScriptParams": ["--log", "/var/log/backup.log"]',
        '"preScriptParams": ["--log", "/var/log/backup.log"],',
        '"preScriptParams": ["--log", "/var/log/backup.log"], "timeoutInSeconds": 60',
        text,
      ]);
    });
  });
});

describe('document highlights', () => {
  test('a key and its duplicates; the one the agent keeps (the last) is the write', async () => {
    await withClient({}, async (client) => {
      const document = TextDocument.create(configUri, 'x', 1, NESTED);
      await client.open(configUri, NESTED);
      const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: configUri }, position: Position.create(8, 6) });
      assert.deepEqual(
        highlights.map((highlight) => [highlight.range.start.line, document.getText(highlight.range), highlight.kind]),
        [
          [8, '"timeoutInSeconds"', DocumentHighlightKind.Text],
          [9, '"timeoutInSeconds"', DocumentHighlightKind.Write],
        ],
      );
      const single = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: configUri }, position: Position.create(3, 5) });
      assert.equal(single.length, 1);
      const onValue = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri: configUri }, position: Position.create(8, 25) });
      assert.deepEqual(onValue, [], 'values are left to the editor\'s word highlights');
    });
  });
});

describe('registration', () => {
  test('announced statically to clients without dynamic registration', async () => {
    await withClient({}, async (client) => {
      const { capabilities } = client.initializeResult;
      for (const provider of ['documentFormattingProvider', 'documentRangeFormattingProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'selectionRangeProvider', 'documentHighlightProvider'] as const) {
        assert.equal(capabilities[provider], true, provider);
      }
    });
  });

  test('registered for the config only when the client can take a selector: shell scripts keep their own formatter and outline', async () => {
    const dynamic = { dynamicRegistration: true };
    const textDocument = { formatting: dynamic, rangeFormatting: dynamic, documentSymbol: dynamic, foldingRange: dynamic, selectionRange: dynamic, documentHighlight: dynamic };
    await withClient({ textDocument }, async (client) => {
      assert.equal(client.initializeResult.capabilities.documentFormattingProvider, undefined);
      const methods = ['textDocument/formatting', 'textDocument/rangeFormatting', 'textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/selectionRange', 'textDocument/documentHighlight'];
      // The server registers on `initialized`; one answered request later, its registrations have arrived (one ordered stream).
      await client.request('textDocument/foldingRange', { textDocument: { uri: configUri } });
      for (const method of methods) {
        const registration = client.registrations.find((candidate) => candidate.method === method);
        assert.ok(registration, `${method} was not registered`);
        const selector = (registration.registerOptions as { documentSelector: Array<{ language?: string; pattern?: string }> }).documentSelector;
        assert.deepEqual(selector.map((filter) => filter.language ?? filter.pattern), ['vmsnapshot-config', '**/VMSnapshotScriptPluginConfig.json']);
      }
    });
  });

  test('a shell script sent anyway gets no answer, so other providers take it', async () => {
    await withClient({}, async (client) => {
      const uri = vm.uri('/etc/azure/pre-script.sh');
      await client.open(uri, '#!/bin/sh\nif true; then\n  exit 0\nfi\n', 'shellscript');
      for (const method of ['textDocument/documentSymbol', 'textDocument/foldingRange']) {
        assert.equal(await client.request(method, { textDocument: { uri } }), null, method);
      }
      assert.equal(await client.request('textDocument/formatting', { textDocument: { uri }, options: SPACES }), null);
    });
  });
});
