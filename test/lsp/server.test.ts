/**
 * The language server as an editor sees it: the bundled `dist/server.js lsp --stdio`, driven
 * through a real JSON-RPC client (./lspClient). Configs live in temporary folders laid out as
 * `<tmp>/etc/azure/…`, so `<tmp>` stands for the VM's `/` and script paths resolve on disk.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  Hover,
  InsertTextFormat,
  MarkupContent,
  Position,
  Range,
  ResponseError,
  TextEdit,
} from 'vscode-languageserver-protocol/node';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { fileUri, LspClient, REPO_ROOT, withClient } from './lspClient';

const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';

/** Every key the agent reads, written out here so that the test does not trust the server's own list. */
const ALL_KEYS = [
  'pluginName',
  'preScriptLocation',
  'postScriptLocation',
  'preScriptParams',
  'postScriptParams',
  'preScriptNoOfRetries',
  'postScriptNoOfRetries',
  'timeoutInSeconds',
  'continueBackupOnFailure',
  'fsFreezeEnabled',
  'ScriptsExecutionPollTimeSeconds',
  'appName',
];

// --- fixtures ------------------------------------------------------------------------------

let vm: VmRoot;
let configUri: string;

before(() => {
  vm = new VmRoot();
  vm.mkdir('/etc/azure/hooks');
  vm.writeScripts('/etc/azure/pre-script.sh', '/etc/azure/post-script.sh');
  vm.write(CONFIG_PATH, { content: '{}\n' });
  configUri = vm.uri(CONFIG_PATH);
});

after(() => vm.remove());

/** A config text from lines, so that test positions read as (line, column) of what is shown. */
function lines(...text: string[]): string {
  return `${text.join('\n')}\n`;
}

const GOOD = lines(
  '{',
  '  "pluginName": "ScriptRunner",',
  '  "preScriptLocation": "/etc/azure/pre-script.sh",',
  '  "postScriptLocation": "/etc/azure/post-script.sh",',
  '  "preScriptParams": ["--log", "/var/log/backup.log"],',
  '  "timeoutInSeconds": 31,',
  '  "ScriptsExecutionPollTimeSeconds": 3',
  '}',
);

const MISSING_SCRIPT = lines(
  '{',
  '  "preScriptLocation": "/etc/azure/missing-pre.sh",',
  '  "postScriptLocation": "/etc/azure/post-script.sh"',
  '}',
);

/** The position of the `occurrence`th `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = 0, occurrence = 1): Position {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.notEqual(offset, -1, `"${needle}" (occurrence ${occurrence}) is not in the fixture`);
  }
  return TextDocument.create('file:///x', 'json', 1, text).positionAt(offset + delta);
}

function rangeOf(text: string, needle: string, occurrence = 1): Range {
  const start = positionOf(text, needle, 0, occurrence);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

/** Starts a server, runs the test body, and always shuts it down; fails if the server logged an error. */
function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

function only(diagnostics: Diagnostic[], code: string): Diagnostic {
  const found = byCode(diagnostics, code);
  assert.equal(found.length, 1, `expected one ${code}, got: ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return found[0];
}

function hoverText(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
}

function applyEdits(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(configUri, 'vmsnapshot-config', 1, text), edits);
}

function editsFor(action: CodeAction, uri: string): TextEdit[] {
  const edits = action.edit?.changes?.[uri];
  assert.ok(edits && edits.length > 0, `the action "${action.title}" carries no edits for ${uri}: ${JSON.stringify(action.edit)}`);
  return edits;
}

/** The pt-br bundle entry for an English message, with its {n} placeholders filled in. */
function portugueseFor(english: string, ...args: (string | number)[]): string {
  const bundlePath = path.join(REPO_ROOT, 'l10n', 'bundle.l10n.pt-br.json');
  assert.ok(fs.existsSync(bundlePath), `${bundlePath} does not exist yet: the Portuguese translation cannot be checked`);
  const bundle = JSON.parse(fs.readFileSync(bundlePath, 'utf8')) as Record<string, string | { message: string }>;
  const entry = bundle[english];
  assert.ok(entry, `the pt-br bundle has no entry for "${english}"`);
  const message = typeof entry === 'string' ? entry : entry.message;
  return message.replace(/\{(\d+)\}/g, (_, index: string) => String(args[Number(index)]));
}

// --- initialize ----------------------------------------------------------------------------

describe('initialize', () => {
  test('announces completion triggers, hover, code lens and code action kinds, and no pull diagnostics to a push-only client', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      const { capabilities, serverInfo } = client.initializeResult;
      assert.equal(serverInfo?.name, 'vmsnapshot-language-server');
      assert.deepEqual([...(capabilities.completionProvider?.triggerCharacters ?? [])].sort(), ['"', '/', ':', '=', '[']);
      assert.equal(capabilities.hoverProvider, true);
      assert.ok(capabilities.codeLensProvider, 'codeLensProvider');
      const codeActions = capabilities.codeActionProvider;
      assert.ok(typeof codeActions === 'object', 'codeActionProvider announces its kinds');
      assert.deepEqual([...(codeActions.codeActionKinds ?? [])].sort(), ['quickfix', 'source.fixAll.vmsnapshot']);
      assert.equal(capabilities.diagnosticProvider, undefined, 'a client without pull support must get pushed diagnostics');
      const sync = capabilities.textDocumentSync;
      assert.ok(sync !== undefined, 'textDocumentSync');
    });
  });

  test('offers pull diagnostics when the client announces textDocument.diagnostic', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const provider = client.initializeResult.capabilities.diagnosticProvider;
      assert.ok(provider, 'diagnosticProvider');
      assert.equal((provider as { identifier?: string }).identifier, 'vmsnapshot');
      assert.equal(provider.workspaceDiagnostics, false);
    });
  });

  test('shuts down cleanly: exit code 0 after shutdown + exit', async () => {
    const client = await LspClient.start();
    assert.equal(await client.shutdown(), 0);
  });

  test('exits on its own when the editor goes away without shutdown (stdin closed): no orphan process', async () => {
    const client = await LspClient.start();
    try {
      // LSP: exit code 1 when the stream ends without a shutdown request.
      assert.equal(await client.closeInput(), 1);
    } finally {
      if (client.isRunning) await client.kill();
    }
  });

  test('an editor that closes the stream after shutdown, without exit, ends it with code 0', async () => {
    const client = await LspClient.start();
    try {
      await client.connection.sendRequest('shutdown');
      assert.equal(await client.closeInput(), 0);
    } finally {
      if (client.isRunning) await client.kill();
    }
  });
});

// --- diagnostics ---------------------------------------------------------------------------

const MISTAKES = lines(
  '{',
  '  // copied from a sample',
  '  "preScriptLocaton": "/etc/azure/pre-script.sh",',
  '  "preScriptLocation": "pre-script.sh",',
  '  "postScriptLocation": "/etc/azure/post-script.sh"',
  '}',
);

function assertMistakeDiagnostics(diagnostics: Diagnostic[]): void {
  const comment = byCode(diagnostics, 'IncorrectJSONConfigFile').find((d) => (d.data as { rule?: string }).rule === 'comment');
  assert.ok(comment, `no IncorrectJSONConfigFile for the comment: ${JSON.stringify(diagnostics)}`);
  assert.deepEqual(comment.range, rangeOf(MISTAKES, '// copied from a sample'));
  assert.equal(comment.severity, DiagnosticSeverity.Error);
  assert.equal(comment.source, 'vmsnapshot');
  assert.match(comment.codeDescription?.href ?? '', /#incorrectjsonconfigfile$/);

  const unknown = only(diagnostics, 'UnknownKey');
  assert.deepEqual(unknown.range, rangeOf(MISTAKES, '"preScriptLocaton"'));
  assert.equal(unknown.severity, DiagnosticSeverity.Warning);
  assert.equal((unknown.data as { suggestion?: string }).suggestion, 'preScriptLocation');

  const relative = only(diagnostics, 'Pre-ScriptNotFound');
  assert.deepEqual(relative.range, rangeOf(MISTAKES, '"pre-script.sh"'));
  assert.equal(relative.severity, DiagnosticSeverity.Error);
  assert.equal((relative.data as { agentCode?: number }).agentCode, 302);

  // The post-script exists under <tmp>/etc/azure: nothing may be reported for it.
  assert.deepEqual(byCode(diagnostics, 'Post-ScriptNotFound'), []);
}

describe('diagnostics', () => {
  test('pull: textDocument/diagnostic reports codes, severities and exact ranges', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, MISTAKES);
      assertMistakeDiagnostics(await client.pullDiagnostics(configUri));
      assert.equal(client.diagnostics.length, 0, 'a pull client must not also get pushed diagnostics');
    });
  });

  test('push: a client without pull support gets publishDiagnostics with the document version', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      await client.open(configUri, MISTAKES);
      const published = await client.waitForDiagnostics(configUri);
      assert.equal(published.version, 1);
      assertMistakeDiagnostics(published.diagnostics);
    });
  });

  test('push: a correct config gets an empty error list and a success outcome', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      await client.open(configUri, GOOD);
      const published = await client.waitForDiagnostics(configUri);
      assert.deepEqual(
        published.diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error),
        [],
      );
      const outcome = await client.waitForOutcome(configUri);
      assert.equal(outcome.code, 0);
      assert.equal(outcome.severity, 'ok');
    });
  });

  for (const configuration of [false, true]) {
    test(`push: after two quick changes the last published diagnostics are those of the latest version (settings ${configuration ? 'requested from the client' : 'from initialize'})`, async () => {
      await withClient({ pullDiagnostics: false, configuration }, async (client) => {
        await client.open(configUri, GOOD);
        await client.waitForDiagnostics(configUri, (p) => p.version === 1);
        const withComment = GOOD.replace('{\n', '{\n  // v2\n');
        const withTypo = GOOD.replace('"pluginName"', '"pluginNam"');
        // Sent back to back, without waiting for the server in between.
        const [v2, v3] = await Promise.all([client.change(configUri, withComment), client.change(configUri, withTypo)]);
        assert.deepEqual([v2, v3], [2, 3]);
        const latest = await client.waitForDiagnostics(configUri, (p) => p.version === 3);
        assert.deepEqual(latest.diagnostics.map((d) => d.code).filter((c) => c === 'UnknownKey' || c === 'IncorrectJSONConfigFile'), ['UnknownKey']);
        // A request is answered after every earlier message was handled: a barrier without sleeping.
        await client.hover(configUri, positionOf(withTypo, '"timeoutInSeconds"', 1));
        const forThisUri = client.diagnostics.filter((entry) => entry.value.uri === configUri && entry.value.version !== 1);
        const last = forThisUri[forThisUri.length - 1].value;
        assert.equal(last.version, 3, `stale diagnostics were published last: ${JSON.stringify(forThisUri.map((e) => e.value.version))}`);
        for (const { value } of forThisUri) {
          const codes = value.diagnostics.map((d) => d.code);
          // A version's diagnostics must describe that version's text.
          if (value.version === 2) assert.ok(codes.includes('IncorrectJSONConfigFile') && !codes.includes('UnknownKey'), `v2 published with ${codes}`);
          if (value.version === 3) assert.ok(!codes.includes('IncorrectJSONConfigFile') && codes.includes('UnknownKey'), `v3 published with ${codes}`);
        }
      });
    });
  }

  test('push: closing a document clears its diagnostics', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      await client.open(configUri, MISTAKES);
      const mark = client.mark();
      await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length > 0);
      await client.close(configUri);
      const cleared = await client.waitForDiagnostics(configUri, (p) => p.diagnostics.length === 0, mark);
      assert.deepEqual(cleared.diagnostics, []);
    });
  });

  test('ranges count UTF-16 code units and survive CRLF line endings', async () => {
    const text = '{\r\n  "appName": "\u{1F389} backup", "pluginNam": "ScriptRunner",\r\n  // crlf\r\n  "preScriptLocation": "/etc/azure/pre-script.sh",\r\n  "postScriptLocation": "/etc/azure/post-script.sh"\r\n}\r\n';
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const diagnostics = await client.pullDiagnostics(configUri);
      // `  "appName": "` is 14 units, the emoji two (UTF-16, as LSP counts by default), ` backup", ` 10.
      assert.deepEqual(only(diagnostics, 'UnknownKey').range, Range.create(1, 26, 1, 37));
      assert.deepEqual(only(diagnostics, 'IncorrectJSONConfigFile').range, Range.create(2, 2, 2, 9));
    });
  });

  test('a required key written with single quotes or unquoted is not reported missing: its quoting is the problem', async () => {
    const text = lines('{', "  'preScriptLocation': '/etc/azure/pre-script.sh',", '  postScriptLocation: "/etc/azure/post-script.sh"', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const diagnostics = await client.pullDiagnostics(configUri);
      const rules = byCode(diagnostics, 'IncorrectJSONConfigFile').map((d) => (d.data as { rule: string }).rule);
      assert.ok(rules.includes('singleQuote') && rules.includes('unquotedKey'), `quoting problems reported: ${rules}`);
      // "Add the required key" would insert a second preScriptLocation (and break the JSON).
      assert.deepEqual(
        diagnostics.filter((d) => (d.data as { rule?: string }).rule === 'missingKey').map((d) => d.message),
        [],
        'both keys are in the file, only not quoted as JSON wants',
      );
    });
  });

  test('push: a changed watched file re-checks open configs (a created script is no longer missing)', async () => {
    const scriptName = `created-${process.pid}.sh`;
    const scriptPath = vm.local(`/etc/azure/${scriptName}`);
    const text = MISSING_SCRIPT.replace('missing-pre.sh', scriptName);
    await withClient({ pullDiagnostics: false }, async (client) => {
      await client.open(configUri, text);
      await client.waitForDiagnostics(configUri, (p) => byCode(p.diagnostics, 'Pre-ScriptNotFound').length === 1);
      vm.write(`/etc/azure/${scriptName}`, { content: 'exit 0\n', mode: 0o700 });
      try {
        const mark = client.mark();
        await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(scriptPath), type: FileChangeType.Created }] });
        const updated = await client.waitForDiagnostics(configUri, () => true, mark);
        assert.deepEqual(byCode(updated.diagnostics, 'Pre-ScriptNotFound'), []);
      } finally {
        fs.rmSync(scriptPath, { force: true });
      }
    });
  });

  test('settings.root: an untitled config resolves its script paths under that folder', async () => {
    const untitled = 'untitled:Untitled-1';
    await withClient({ pullDiagnostics: true, settings: { root: vm.dir } }, async (client) => {
      await client.open(untitled, MISSING_SCRIPT);
      const missing = only(await client.pullDiagnostics(untitled), 'Pre-ScriptNotFound');
      assert.match(typeof missing.message === 'string' ? missing.message : missing.message.value, new RegExp(vm.local('/etc/azure/missing-pre.sh').replace(/[.]/g, '\\.')));
      assert.deepEqual(byCode(await client.pullDiagnostics(untitled), 'Post-ScriptNotFound'), []);
    });
  });

  test('a document that is not a config (a shell script) gets no config diagnostics', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const scriptUri = vm.uri('/etc/azure/pre-script.sh');
      await client.open(scriptUri, '{ // not json\n', 'shellscript');
      assert.deepEqual(byCode(await client.pullDiagnostics(scriptUri), 'IncorrectJSONConfigFile'), []);
    });
  });
});

// --- configuration -------------------------------------------------------------------------

describe('configuration changes', () => {
  test('pull: fileChecks off hides a missing script; switching to auto asks for settings again, refreshes, and reports it', async () => {
    await withClient({ pullDiagnostics: true, configuration: true, settings: { fileChecks: 'off' } }, async (client) => {
      await client.open(configUri, MISSING_SCRIPT);
      const initial = await client.pullDiagnostics(configUri);
      assert.ok(client.configurationRequests.length > 0, 'the server should ask the client for the vmsnapshot settings');
      assert.deepEqual(
        client.configurationRequests[0].value.items.map((item) => item.section),
        ['vmsnapshot'],
      );
      assert.deepEqual(byCode(initial, 'Pre-ScriptNotFound'), [], 'fileChecks off: no file may be looked at');

      const mark = client.mark();
      await client.changeConfiguration({ fileChecks: 'auto' });
      await client.waitForRefresh(mark);
      const updated = await client.pullDiagnostics(configUri);
      await client.waitForConfigurationRequest(mark);
      const missing = only(updated, 'Pre-ScriptNotFound');
      assert.deepEqual(missing.range, rangeOf(MISSING_SCRIPT, '"/etc/azure/missing-pre.sh"'));
      assert.match(typeof missing.message === 'string' ? missing.message : missing.message.value, /missing-pre\.sh/);
    });
  });

  test('push: the same switch re-publishes diagnostics with the missing script', async () => {
    await withClient({ pullDiagnostics: false, configuration: true, settings: { fileChecks: 'off' } }, async (client) => {
      await client.open(configUri, MISSING_SCRIPT);
      const first = await client.waitForDiagnostics(configUri);
      assert.deepEqual(byCode(first.diagnostics, 'Pre-ScriptNotFound'), []);
      const mark = client.mark();
      await client.changeConfiguration({ fileChecks: 'auto' });
      const second = await client.waitForDiagnostics(configUri, (p) => byCode(p.diagnostics, 'Pre-ScriptNotFound').length > 0, mark);
      assert.equal(second.version, 1);
      await client.waitForConfigurationRequest(mark);
      const outcome = await client.waitForOutcome(configUri, (o) => o.code === 302, mark);
      assert.equal(outcome.severity, 'error');
    });
  });

  test('without workspace/configuration: initializationOptions.settings, then didChangeConfiguration settings, are used', async () => {
    await withClient({ pullDiagnostics: false, configuration: false, initializationOptions: { settings: { fileChecks: 'off' } } }, async (client) => {
      await client.open(configUri, MISSING_SCRIPT);
      const first = await client.waitForDiagnostics(configUri);
      assert.deepEqual(byCode(first.diagnostics, 'Pre-ScriptNotFound'), []);
      assert.equal(client.configurationRequests.length, 0, 'a client without workspace/configuration must not be asked');
      const mark = client.mark();
      await client.changeConfiguration({ fileChecks: 'auto' });
      const second = await client.waitForDiagnostics(configUri, (p) => byCode(p.diagnostics, 'Pre-ScriptNotFound').length > 0, mark);
      assert.equal(byCode(second.diagnostics, 'Pre-ScriptNotFound').length, 1);
    });
  });
});

// --- completion ----------------------------------------------------------------------------

describe('completion', () => {
  test('at the top level lists exactly the missing keys, each inserting "key": value', async () => {
    const text = lines('{', '  "preScriptLocation": "/etc/azure/pre-script.sh",', '  "timeoutInSeconds": 30,', '  ""', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const cursor = positionOf(text, '""', 1);
      const items = (await client.completion(configUri, cursor)) ?? [];
      const expected = ALL_KEYS.filter((key) => key !== 'preScriptLocation' && key !== 'timeoutInSeconds');
      assert.deepEqual(items.map((item) => item.label).sort(), [...expected].sort());
      const typedQuotes = rangeOf(text, '""');
      for (const item of items) {
        const edit = item.textEdit as TextEdit | undefined;
        assert.ok(edit && 'range' in edit, `${item.label} has a plain TextEdit`);
        assert.deepEqual(edit.range, typedQuotes, `${item.label} replaces the typed ""`);
        assert.ok(edit.newText.startsWith(`"${item.label}": `), `${item.label} inserts "${item.label}": …, got ${edit.newText}`);
        assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
      }
      const postScript = items.find((item) => item.label === 'postScriptLocation');
      assert.equal((postScript?.textEdit as TextEdit).newText, '"postScriptLocation": "${1:/etc/azure/post-script.sh}"');
      // Applying the item (placeholders resolved to their defaults) gives the key with a value.
      const poll = items.find((item) => item.label === 'ScriptsExecutionPollTimeSeconds')!;
      // Placeholders and choices resolved to their first value, as accepting the item does.
      const inserted = (poll.textEdit as TextEdit).newText.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
      assert.match(applyEdits(text, [{ range: typedQuotes, newText: inserted }]), /\n {2}"ScriptsExecutionPollTimeSeconds": 3\n\}/);
    });
  });

  test('on an empty line of an object offers the missing keys at the cursor', async () => {
    const text = lines('{', '  "preScriptLocation": "/a",', '  "postScriptLocation": "/b",', '  ', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const items = (await client.completion(configUri, { line: 3, character: 2 })) ?? [];
      const labels = items.map((item) => item.label);
      assert.deepEqual([...labels].sort(), ALL_KEYS.filter((key) => !key.endsWith('ScriptLocation')).sort());
      for (const item of items) assert.deepEqual((item.textEdit as TextEdit).range, Range.create(3, 2, 3, 2));
    });
  });

  test('on a new line after a finished value (comma not typed yet), the previous key\'s values are not offered again', async () => {
    const text = lines('{', '  "timeoutInSeconds": 30', '  ', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const items = (await client.completion(configUri, { line: 2, character: 2 })) ?? [];
      const labels = items.map((item) => item.label);
      // Accepting "60" here would produce `"timeoutInSeconds": 30 60`-like text: keys (or nothing) belong here.
      assert.ok(!labels.includes('60') && !labels.includes('1800'), `timeoutInSeconds values offered on the next line: ${JSON.stringify(labels)}`);
    });
  });

  test('value of continueBackupOnFailure offers true and false; ScriptsExecutionPollTimeSeconds offers 1 to 5', async () => {
    const text = lines('{', '  "continueBackupOnFailure": ,', '  "ScriptsExecutionPollTimeSeconds": ', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const booleans = (await client.completion(configUri, positionOf(text, ': ,', 2))) ?? [];
      assert.deepEqual(booleans.map((item) => item.label), ['true', 'false']);
      assert.ok(booleans.find((item) => item.label === 'true')?.detail, 'the agent default (true) is marked');
      const polls = (await client.completion(configUri, { line: 2, character: '  "ScriptsExecutionPollTimeSeconds": '.length })) ?? [];
      assert.deepEqual(polls.map((item) => item.label), ['1', '2', '3', '4', '5']);
    });
  });

  test('an absolute path in preScriptLocation completes from the folder that stands for the VM', async () => {
    const text = lines('{', '  "preScriptLocation": "/etc/azure/",', '  "postScriptLocation": "/etc/"', '}');
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const inAzure = positionOf(text, '/etc/azure/"', '/etc/azure/'.length);
      const items: CompletionItem[] = (await client.completion(configUri, inAzure)) ?? [];
      const expected = fs
        .readdirSync(vm.local('/etc/azure'), { withFileTypes: true })
        .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
        .sort();
      assert.deepEqual(expected, [CONFIG_NAME, 'hooks/', 'post-script.sh', 'pre-script.sh'], 'fixture layout');
      assert.deepEqual(items.map((item) => item.label).sort(), expected);
      const pre = items.find((item) => item.label === 'pre-script.sh')!;
      assert.deepEqual((pre.textEdit as TextEdit).range, Range.create(inAzure, inAzure));
      assert.equal(applyEdits(text, [pre.textEdit as TextEdit]).split('\n')[1], '  "preScriptLocation": "/etc/azure/pre-script.sh",');

      const inEtc = positionOf(text, '/etc/"', '/etc/'.length);
      const etc = (await client.completion(configUri, inEtc)) ?? [];
      assert.deepEqual(etc.map((item) => item.label), ['azure/']);

      // A name being typed: what starts with its first letter, whatever its case, replacing it.
      const typing = lines('{', '  "preScriptLocation": "/etc/azure/Pr"', '}');
      await client.change(configUri, typing);
      const typed = positionOf(typing, '/etc/azure/Pr', '/etc/azure/Pr'.length);
      const matching = (await client.completion(configUri, typed)) ?? [];
      assert.deepEqual(matching.map((item) => item.label).sort(), ['post-script.sh', 'pre-script.sh']);
      assert.equal(applyEdits(typing, [matching.find((item) => item.label === 'pre-script.sh')!.textEdit as TextEdit]).split('\n')[1], '  "preScriptLocation": "/etc/azure/pre-script.sh"');
    });
  });
});

// --- hover ---------------------------------------------------------------------------------

describe('hover', () => {
  test('on timeoutInSeconds shows the agent default (10) and what this file really gets', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const hover = await client.hover(configUri, positionOf(GOOD, '"timeoutInSeconds"', 3));
      const text = hoverText(hover);
      assert.match(text, /\*\*timeoutInSeconds\*\*/);
      assert.match(text, /Agent default: `10`/);
      // 31 s, polled every 3 s: the agent really waits 33 s.
      assert.match(text, /\b31 s\b/);
      assert.match(text, /\b33 s\b/);
      assert.deepEqual(hover?.range, rangeOf(GOOD, '"timeoutInSeconds"'));
    });
  });

  test('on a value shows the key and the value range; on whitespace outside any key, nothing', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const onValue = await client.hover(configUri, positionOf(GOOD, '"/etc/azure/pre-script.sh"', 2));
      assert.match(hoverText(onValue), /\*\*preScriptLocation\*\*/);
      assert.match(hoverText(onValue), /"sh","\/etc\/azure\/pre-script.sh","--log","\/var\/log\/backup.log"/);
      assert.deepEqual(onValue?.range, rangeOf(GOOD, '"/etc/azure/pre-script.sh"'));
      assert.equal(await client.hover(configUri, { line: GOOD.split('\n').length - 2, character: 0 }), null);
    });
  });

  test('is in Portuguese when initialize sends locale pt-br', async () => {
    let english = '';
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      english = hoverText(await client.hover(configUri, positionOf(GOOD, '"timeoutInSeconds"', 3)));
    });
    await withClient({ pullDiagnostics: true, locale: 'pt-br' }, async (client) => {
      await client.open(configUri, GOOD);
      const portuguese = hoverText(await client.hover(configUri, positionOf(GOOD, '"timeoutInSeconds"', 3)));
      assert.notEqual(portuguese, english, 'the hover is still in English');
      const describe =
        'One time limit for the whole script run, in seconds. The agent uses {0} s when the key is absent (the documentation says 30), caps it at {1} s, and checks it every poll interval, so the real limit is rounded up to a multiple of the poll time. A script that times out is never killed.';
      assert.ok(portuguese.includes(portugueseFor(describe, 10, 1800)), `the hover lacks the pt-br text of the key's description:\n${portuguese}`);
    });
  });
});

// --- code actions --------------------------------------------------------------------------

describe('code actions', () => {
  test('UnknownKey: the quick fix renames the key, and the diagnostic goes away', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const text = GOOD.replace('"timeoutInSeconds"', '"timeoutInSecond"');
      await client.open(configUri, text);
      const unknown = only(await client.pullDiagnostics(configUri), 'UnknownKey');
      const actions = await client.codeActions({ textDocument: { uri: configUri }, range: unknown.range, context: { diagnostics: [unknown], only: ['quickfix'] } });
      const rename = actions.find((action) => action.kind === 'quickfix' && (action.diagnostics ?? []).some((d) => d.code === 'UnknownKey'));
      assert.ok(rename, `no quick fix for UnknownKey: ${JSON.stringify(actions)}`);
      assert.match(rename.title, /timeoutInSeconds/);
      assert.equal(rename.isPreferred, true);
      const fixed = applyEdits(text, editsFor(rename, configUri));
      assert.equal(fixed, GOOD);
      await client.change(configUri, fixed);
      assert.deepEqual(byCode(await client.pullDiagnostics(configUri), 'UnknownKey'), []);
    });
  });

  test('a comment: "Delete the comment" removes it', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const text = GOOD.replace('{\n', '{\n  // set up by hand\n');
      await client.open(configUri, text);
      const comment = only(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile');
      assert.deepEqual(comment.range, rangeOf(text, '// set up by hand'));
      const actions = await client.codeActions({ textDocument: { uri: configUri }, range: comment.range, context: { diagnostics: [comment] } });
      const fix = actions.find((action) => action.title === 'Delete the comment');
      assert.ok(fix, `no strict-JSON fix: ${JSON.stringify(actions.map((a) => a.title))}`);
      const fixed = applyEdits(text, editsFor(fix, configUri));
      assert.equal(fixed, GOOD);
      await client.change(configUri, fixed);
      assert.deepEqual(byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile'), []);
    });
  });

  test('source.fixAll.vmsnapshot makes a file with a BOM, comments and trailing commas strict JSON', async () => {
    const text =
      '\uFEFF{\n' +
      '  // the scripts\n' +
      '  "preScriptLocation": "/etc/azure/pre-script.sh", // before\n' +
      '  "postScriptLocation": "/etc/azure/post-script.sh",\n' +
      '  /* params */\n' +
      '  "preScriptParams": ["--log", "/tmp/x",],\n' +
      '  "timeoutInSeconds": 30,\n' +
      '}\n';
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, text);
      const problems = byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile');
      assert.deepEqual(
        problems.map((d) => (d.data as { rule: string }).rule).sort(),
        ['bom', 'comment', 'comment', 'comment', 'trailingComma', 'trailingComma'],
      );
      const actions = await client.codeActions({ textDocument: { uri: configUri }, range: Range.create(0, 0, 0, 0), context: { diagnostics: [], only: ['source.fixAll'] } });
      assert.ok(actions.every((action) => action.kind?.startsWith('source.fixAll')), `only fix-all actions were asked for: ${JSON.stringify(actions.map((a) => a.kind))}`);
      const fixAll = actions.find((action) => action.kind === 'source.fixAll.vmsnapshot');
      assert.ok(fixAll, 'no source.fixAll.vmsnapshot action');
      const fixed = applyEdits(text, editsFor(fixAll, configUri));
      assert.doesNotThrow(() => JSON.parse(fixed), `not strict JSON after the fix:\n${fixed}`);
      assert.equal(fixed.charCodeAt(0), '{'.charCodeAt(0));
      assert.deepEqual(JSON.parse(fixed), {
        preScriptLocation: '/etc/azure/pre-script.sh',
        postScriptLocation: '/etc/azure/post-script.sh',
        preScriptParams: ['--log', '/tmp/x'],
        timeoutInSeconds: 30,
      });
      await client.change(configUri, fixed);
      assert.deepEqual(byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile'), []);
    });
  });

  test('quick fixes only are returned when only quickfix is asked for', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const text = GOOD.replace('{\n', '{\n  // x\n');
      await client.open(configUri, text);
      const comment = only(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile');
      const actions = await client.codeActions({ textDocument: { uri: configUri }, range: comment.range, context: { diagnostics: [comment], only: ['quickfix'] } });
      assert.ok(actions.length > 0);
      assert.deepEqual([...new Set(actions.map((action) => action.kind))], ['quickfix']);
    });
  });
});

// --- code lens, custom request -------------------------------------------------------------

describe('code lens and vmsnapshot/predictedRun', () => {
  test('the code lens shows the predicted agent result: 302 for a missing pre-script', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, MISSING_SCRIPT);
      const lenses = await client.codeLens(configUri);
      assert.ok(lenses.length >= 1);
      assert.deepEqual(lenses[0].range, Range.create(0, 0, 0, 0));
      assert.match(lenses[0].command?.title ?? '', /\b302\b/);
      assert.match(lenses[0].command?.title ?? '', /Pre-ScriptNotFound/);
    });
  });

  test('the code lens says success for a correct config, with the real time limit', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const titles = (await client.codeLens(configUri)).map((lens) => lens.command?.title ?? '');
      assert.match(titles[0], /success/i);
      assert.ok(titles.some((title) => /\b33 s\b/.test(title)), `no lens with the 33 s limit: ${JSON.stringify(titles)}`);
    });
  });

  test('vmsnapshot/predictedRun returns the agent outcome and the values it will use', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const result = await client.request<{ agent: { code: number; name: string }; effective: Record<string, unknown> | null }>('vmsnapshot/predictedRun', { uri: configUri });
      assert.equal(result.agent.code, 0);
      assert.equal(result.agent.name, 'Success');
      assert.ok(result.effective);
      assert.equal(result.effective.timeoutInSeconds, 31);
      assert.equal(result.effective.timeoutLimitSeconds, 33);
      assert.equal(result.effective.pollSeconds, 3);
      assert.equal(result.effective.continueBackupOnFailure, true);
      assert.equal(result.effective.fsFreezeEnabled, true);
      assert.equal(result.effective.preScriptNoOfRetries, 0);
      assert.deepEqual(result.effective.preScriptArgv, ['sh', '/etc/azure/pre-script.sh', '--log', '/var/log/backup.log']);
      assert.deepEqual(result.effective.postScriptArgv, ['sh', '/etc/azure/post-script.sh']);
    });
  });

  test('vmsnapshot/predictedRun is null when the agent cannot load the config', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, MISTAKES);
      const result = await client.request<{ agent: { code: number }; effective: unknown }>('vmsnapshot/predictedRun', { uri: configUri });
      assert.equal(result.agent.code, 305);
      assert.equal(result.effective, null);
    });
  });
});

// --- robustness ----------------------------------------------------------------------------

describe('robustness', () => {
  test('requests for a document that was never opened are answered, and the server keeps working', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const unknown = vm.uri(`/etc/azure/nowhere/${CONFIG_NAME}`);
      const at = Position.create(0, 0);
      assert.equal(await client.hover(unknown, at), null);
      assert.equal(await client.completion(unknown, at), null);
      assert.deepEqual(await client.codeLens(unknown), []);
      assert.deepEqual(await client.codeActions({ textDocument: { uri: unknown }, range: Range.create(at, at), context: { diagnostics: [] } }), []);
      assert.deepEqual(await client.pullDiagnostics(unknown), []);
      await assert.rejects(client.request('vmsnapshot/predictedRun', { uri: unknown }), (error: unknown) => error instanceof ResponseError);
      // Still alive and answering for a real document.
      await client.open(configUri, GOOD);
      assert.match(hoverText(await client.hover(configUri, positionOf(GOOD, '"timeoutInSeconds"', 3))), /timeoutInSeconds/);
    });
  });

  test('positions outside the text and broken text are answered without errors', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const broken = '{ "preScriptLocation": "/etc/az';
      await client.open(configUri, broken);
      const far = Position.create(500, 500);
      await client.hover(configUri, far);
      await client.completion(configUri, far);
      await client.completion(configUri, Position.create(0, broken.length));
      const diagnostics = await client.pullDiagnostics(configUri);
      assert.ok(byCode(diagnostics, 'IncorrectJSONConfigFile').length > 0);
      await client.change(configUri, '');
      const skeleton = (await client.completion(configUri, Position.create(0, 0))) ?? [];
      assert.equal(skeleton.length, 1, 'an empty file offers the whole-config snippet');
      assert.equal(skeleton[0].insertTextFormat, InsertTextFormat.Snippet);
    });
  });
});

describe('findings about other files are published at those files (issue 9)', () => {
  for (const pullDiagnostics of [false, true]) {
    test(`${pullDiagnostics ? 'pull' : 'push'} client: a broken host conf gets its diagnostic, cleared when fixed; scripts get their config's outcome`, async () => {
      const host = new VmRoot();
      try {
        host.writeScripts('/etc/azure/pre-script.sh', '/etc/azure/post-script.sh');
        const hostConf = host.writeHostConf('[pre_post\nnumberOfPlugins = 1\n');
        const config = host.write(CONFIG_PATH, { content: GOOD });
        const unrelated = host.write('/plain.sh', { content: 'echo hi\n', mode: 0o644 });
        await withClient({ pullDiagnostics }, async (client) => {
          await client.open(fileUri(unrelated), 'echo hi\n', 'shellscript');
          await client.open(fileUri(config), GOOD);
          const broken = await client.waitForDiagnostics(fileUri(hostConf), (p) => p.diagnostics.length > 0);
          assert.deepEqual(broken.diagnostics.map((d) => [d.code, d.severity]), [['IncorrectPluginhostFile', DiagnosticSeverity.Error]]);
          assert.equal(broken.diagnostics[0].range.start.line, 0);
          const scriptOutcome = await client.waitForOutcome(host.uri('/etc/azure/pre-script.sh'));
          assert.equal(scriptOutcome.code, 304);
          assert.equal((scriptOutcome as { configUri?: string }).configUri, fileUri(config));

          const mark = client.mark();
          // numberOfPlugins 1 needs plugin 0's keys, else load_modules raises NoOptionError (304): the shipped conf has them.
          host.writeHostConf();
          await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(hostConf), type: FileChangeType.Changed }] });
          if (pullDiagnostics) await client.waitForRefresh(mark);
          const cleared = await client.waitForDiagnostics(fileUri(hostConf), (p) => p.diagnostics.length === 0, mark);
          assert.deepEqual(cleared.diagnostics, []);
          assert.equal((await client.waitForOutcome(fileUri(config), (o) => o.code === 0, mark)).severity, 'ok');
          // A shell script no config names gets no outcome at all (no status item).
          assert.equal(client.outcomes.some(({ value }) => value.uri === fileUri(unrelated)), false);
        });
      } finally {
        host.remove();
      }
    });
  }
});
