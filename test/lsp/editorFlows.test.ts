/**
 * The bundled server answering what a new user does in the first hour (issue 16): completion
 * after a line without its comma, the snippets ranked first, the quick fixes users need, and the
 * code lens and the predicted run telling the diagnostics' story. The real VS Code flows are in
 * test/e2e/suite/firstHour.test.ts; these pin the server's answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, Diagnostic, Position, TextEdit } from 'vscode-languageserver-protocol/node';
import { checkScript } from '../../server/src/engine/scripts';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { LspClient, withClient as withPullClient } from './lspClient';

let vm: VmRoot;
let configUri: string;
let scriptUri: string;

before(() => {
  vm = new VmRoot();
  vm.writeScripts('/etc/azure/pre-script.sh', '/etc/azure/post-script.sh');
  vm.write(CONFIG_PATH, { content: '{}\n' });
  configUri = vm.uri(CONFIG_PATH);
  scriptUri = vm.uri('/etc/azure/helper.sh');
});

after(() => vm.remove());

/** `|` marks the cursor; returns the text without it and the position. */
function caret(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  return { text, position: TextDocument.create('file:///x', 'x', 1, text).positionAt(offset) };
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(configUri, 'vmsnapshot-config', 1, text), edits);
}

const withClient = (body: (client: LspClient) => Promise<void>): Promise<void> => withPullClient({ pullDiagnostics: true }, body);

async function fixesFor(client: LspClient, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return client.codeActions({ textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic], only: ['quickfix'] } });
}

function byCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((diagnostic) => diagnostic.code === code);
}

describe('completion where a new user types', () => {
  test('on the line after a value without its comma, the keys are offered and accepting one adds the comma', async () => {
    const { text, position } = caret('{\n  "preScriptLocation": "/etc/azure/pre-script.sh"\n  |\n}\n');
    await withClient(async (client) => {
      await client.open(configUri, text);
      const items = (await client.completion(configUri, position)) ?? [];
      const post = items.find((item) => item.label === 'postScriptLocation');
      assert.ok(post, `keys offered: ${items.map((item) => item.label).join(', ')}`);
      const edits = [post.textEdit as TextEdit, ...(post.additionalTextEdits ?? [])].map((edit) => ({ ...edit, newText: edit.newText.replace(/\$\{\d+:([^}]*)\}/g, '$1') }));
      const result = apply(text, edits);
      assert.deepEqual(JSON.parse(result), { preScriptLocation: '/etc/azure/pre-script.sh', postScriptLocation: '/etc/azure/post-script.sh' });
    });
  });

  test('a key typed partly after such a line, and a key accepted before another key, both get their commas', async () => {
    const { text, position } = caret('{\n  "fsFreezeEnabled": true\n  "time|\n  "preScriptLocation": "/a"\n}\n');
    await withClient(async (client) => {
      await client.open(configUri, text);
      const items = (await client.completion(configUri, position)) ?? [];
      const timeout = items.find((item) => item.label === 'timeoutInSeconds');
      assert.ok(timeout);
      const edits = [timeout.textEdit as TextEdit, ...(timeout.additionalTextEdits ?? [])].map((edit) => ({ ...edit, newText: edit.newText.replace(/\$\{\d+:([^}]*)\}/g, '$1') }));
      assert.deepEqual(JSON.parse(apply(text, edits)), { fsFreezeEnabled: true, timeoutInSeconds: 30, preScriptLocation: '/a' });
    });
  });

  test('"vmsn" typed in an empty config offers the whole config first, replacing the word', async () => {
    await withClient(async (client) => {
      await client.open(configUri, 'vmsn');
      const [skeleton, ...rest] = (await client.completion(configUri, Position.create(0, 4))) ?? [];
      assert.deepEqual(rest, []);
      assert.equal(skeleton.sortText, '0');
      assert.ok(skeleton.filterText?.includes('vmsnapshot'));
      assert.deepEqual((skeleton.textEdit as TextEdit).range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    });
  });

  test('in a script, a snippet prefix being typed (or an empty line) gets the snippets, in the display language, and other words nothing', async () => {
    const client = await LspClient.start({ pullDiagnostics: true, locale: 'pt-br' });
    try {
      await client.open(scriptUri, '#!/bin/sh\nvmsnapshot-log', 'shellscript');
      const items = (await client.completion(scriptUri, Position.create(1, 14))) ?? [];
      assert.deepEqual(items.map((item) => item.label), ['vmsnapshot-log']);
      assert.equal(items[0].detail, 'Snapshot de VM: preâmbulo de log');
      assert.match(items[0].sortText ?? '', /^0/);
      assert.match((items[0].textEdit as TextEdit).newText, /^#!\/bin\/sh\n/);
      await client.change(scriptUri, '#!/bin/sh\necho');
      assert.deepEqual((await client.completion(scriptUri, Position.create(1, 4))) ?? [], []);
      // Ctrl+Space on an empty line, before the prefix is typed: every snippet, one entry each.
      await client.change(scriptUri, '#!/bin/sh\n  \necho ');
      assert.deepEqual(((await client.completion(scriptUri, Position.create(1, 2))) ?? []).map((item) => item.label), ['vmsnapshot-log', 'vmsnapshot-lock', 'vmsnapshot-state', 'vmsnapshot-state-dir']);
      assert.deepEqual((await client.completion(scriptUri, Position.create(2, 5))) ?? [], [], 'not after a command word');
    } finally {
      await client.shutdown().catch(() => client.kill());
    }
  });
});

describe('quick fixes where users need them', () => {
  const text = [
    '{',
    '  // keep the backup quiet at night',
    '  "preScriptLocation": "pre-script.sh",',
    '  "postScriptLocation": "/etc/azure/post-scirpt.sh",',
    '  "timeoutInSeconds": "60"',
    '}',
    '',
  ].join('\n');

  test('a string timeout that is a number: "Write 60"', async () => {
    await withClient(async (client) => {
      await client.open(configUri, text);
      const timeout = byCode(await client.pullDiagnostics(configUri), 'IncorrectPluginhostFile')[0];
      const fix = (await fixesFor(client, configUri, timeout)).find((action) => action.title === 'Write 60');
      assert.ok(fix);
      assert.match(apply(text, fix.edit!.changes![configUri]), /"timeoutInSeconds": 60\n/);
    });
  });

  test('a relative script path: the absolute path where the file is; a misspelt one: the script beside it, before "Create"', async () => {
    await withClient(async (client) => {
      await client.open(configUri, text);
      const diagnostics = await client.pullDiagnostics(configUri);
      const relative = (await fixesFor(client, configUri, byCode(diagnostics, 'Pre-ScriptNotFound')[0])).map((action) => action.title);
      assert.deepEqual(relative, ['Use /etc/azure/pre-script.sh']);
      const misspelt = await fixesFor(client, configUri, byCode(diagnostics, 'Post-ScriptNotFound')[0]);
      assert.deepEqual(misspelt.map((action) => action.title), ['Use /etc/azure/post-script.sh', 'Create post-scirpt.sh from a template']);
      assert.equal(misspelt[0].isPreferred, true);
      assert.match(apply(text, misspelt[0].edit!.changes![configUri]), /"postScriptLocation": "\/etc\/azure\/post-script.sh"/);
    });
  });

  test('a comment: "Delete the comment", or keep its words as a "_comment" key the agent ignores', async () => {
    await withClient(async (client) => {
      await client.open(configUri, text);
      const comment = byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile').find((d) => d.range.start.line === 1)!;
      const actions = await fixesFor(client, configUri, comment);
      assert.deepEqual(actions.map((action) => action.title), ['Delete the comment', 'Keep the comment as a "_comment" key (the agent ignores it)']);
      const kept = apply(text, actions[1].edit!.changes![configUri]);
      assert.equal((JSON.parse(kept) as { _comment: string })._comment, 'keep the backup quiet at night');
      await client.change(configUri, kept);
      assert.deepEqual(byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile'), []);
    });
  });

  test('a comment after the last member becomes a member with the comma it needs', async () => {
    const last = '{\n  "preScriptLocation": "/a",\n  "postScriptLocation": "/b" // the agent ignores this\n}\n';
    await withClient(async (client) => {
      await client.open(configUri, last);
      const comment = byCode(await client.pullDiagnostics(configUri), 'IncorrectJSONConfigFile')[0];
      const keep = (await fixesFor(client, configUri, comment)).find((action) => action.title.startsWith('Keep'))!;
      assert.deepEqual(JSON.parse(apply(last, keep.edit!.changes![configUri])), { preScriptLocation: '/a', postScriptLocation: '/b', _comment: 'the agent ignores this' });
    });
  });

  test('CRLF in a script: the fix is the client\'s end-of-line command, not a text edit VS Code would undo', async () => {
    await withClient(async (client) => {
      await client.open(scriptUri, '#!/bin/sh\r\nexit 0\r\n', 'shellscript');
      const crlf = { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } }, code: 'ScriptCrlf', source: 'vmsnapshot', message: 'CRLF', data: { rule: 'crlf' } };
      const [fix] = await fixesFor(client, scriptUri, crlf);
      assert.equal(fix.title, 'Convert to LF line endings');
      assert.equal(fix.edit, undefined);
      assert.deepEqual(fix.command, { title: 'Convert to LF line endings', command: 'vmsnapshot.convertToLf', arguments: [scriptUri] });
    });
  });

  test('a CRLF script opened after its config shows only its own findings: after the conversion, no ScriptCrlf pushed from the disk stays', async () => {
    vm.write('/etc/azure/crlf-pre.sh', { content: '#!/bin/sh\r\nexit 0\r\n', mode: 0o700 });
    const uri = vm.uri('/etc/azure/crlf-pre.sh');
    const config = '{\n  "preScriptLocation": "/etc/azure/crlf-pre.sh",\n  "postScriptLocation": "/etc/azure/post-script.sh"\n}\n';
    await withClient(async (client) => {
      await client.open(configUri, config);
      await client.pullDiagnostics(configUri);
      await client.waitForDiagnostics(uri, (params) => params.diagnostics.some((d) => d.code === 'ScriptCrlf'));
      const mark = client.mark();
      // The editor converted it (not saved yet): its own text has LF.
      await client.open(uri, '#!/bin/sh\nexit 0\n', 'shellscript');
      await client.waitForDiagnostics(uri, (params) => params.diagnostics.length === 0, mark);
      assert.deepEqual(byCode(await client.pullDiagnostics(uri), 'ScriptCrlf'), []);
    });
  });

  test('on the config, the CRLF fix names the script it converts, and converts that script', async () => {
    vm.write('/etc/azure/crlf-post.sh', { content: '#!/bin/sh\r\nexit 0\r\n', mode: 0o700 });
    const config = '{\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocation": "/etc/azure/crlf-post.sh"\n}\n';
    await withClient(async (client) => {
      await client.open(configUri, config);
      const [summary] = byCode(await client.pullDiagnostics(configUri), 'Post-ScriptExecutionFailed');
      assert.ok(summary, 'the config says the post-script breaks under sh');
      const fix = (await fixesFor(client, configUri, summary)).find((action) => action.command?.command === 'vmsnapshot.convertToLf');
      // "Convert to LF line endings" on the config would read as converting the config.
      assert.equal(fix?.title, 'Convert crlf-post.sh to LF line endings');
      assert.deepEqual(fix.command?.arguments, [vm.uri('/etc/azure/crlf-post.sh')]);
    });
  });

  test('the one-word bash-isms: source, ==, function f {, &>', async () => {
    const script = '#!/bin/sh\nfunction f {\n  :\n}\nsource /etc/x\n[ "$a" == b ] && f &> /tmp/log\n';
    await withClient(async (client) => {
      await client.open(scriptUri, script, 'shellscript');
      const found = checkScript(Buffer.from(script)).filter((d) => d.code === 'ScriptNotPosix');
      const diagnostics: Diagnostic[] = found.map((d) => ({ range: d.range, code: d.code, source: 'vmsnapshot', message: d.message, data: d.data }));
      const edits: TextEdit[] = [];
      for (const diagnostic of diagnostics) {
        const [fix] = await fixesFor(client, scriptUri, diagnostic);
        assert.ok(fix?.edit, `a fix for ${JSON.stringify(diagnostic.data)}`);
        edits.push(...fix.edit.changes![scriptUri]);
      }
      const fixed = apply(script, edits);
      assert.equal(fixed, '#!/bin/sh\nf() {\n  :\n}\n. /etc/x\n[ "$a" = b ] && f >/tmp/log 2>&1\n');
      assert.deepEqual(checkScript(Buffer.from(fixed)).filter((d) => d.code === 'ScriptNotPosix'), []);
    });
  });
});

describe('the code lens and the diagnostics tell one story', () => {
  // examples/mistakes once strict: get_config compares timeoutInSeconds with the cap before it
  // reads postScriptLocation, so Python's TypeError (304) comes before the KeyError (305).
  const strictMistakes = '{\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocaton": "/etc/azure/post-script.sh",\n  "timeoutInSeconds": "60"\n}\n';

  test('the lens says 304 and the 305 finding says the agent stops before it, at 304; clicking opens the predicted run', async () => {
    await withClient(async (client) => {
      await client.open(configUri, strictMistakes);
      const diagnostics = await client.pullDiagnostics(configUri);
      const lenses = await client.codeLens(configUri);
      assert.match(lenses[0].command!.title, /^Azure agent: 304 /);
      // Every lens (the result, the path the agent takes) opens the predicted run.
      assert.ok(lenses.length >= 1 && lenses.every((lens) => lens.command?.command === 'vmsnapshot.showPrediction'), JSON.stringify(lenses));
      assert.deepEqual(lenses[0].command?.arguments, [configUri]);
      const missing = byCode(diagnostics, 'IncorrectJSONConfigFile')[0];
      assert.match(String(missing.message), /The agent stops before this, at 304 IncorrectPluginhostFile/);
      assert.doesNotMatch(byCode(diagnostics, 'IncorrectPluginhostFile')[0].message as string, /stops before this/);

      const { markdown } = await client.request<{ markdown: string }>('vmsnapshot/predictedRunText', { uri: configUri });
      assert.match(markdown, /3\. The config loads[^\n]*\*\*✗ stops here: 304 FailedPrepostPluginhostConfigParsing/);
      assert.match(markdown, /4\. The pre-script \/etc\/azure\/pre-script.sh[^\n]*not reached/);
      assert.match(markdown, /The agent stops before it builds the command lines/);
    });
  });

  test('a good config: each check passes, the values the agent uses and the command lines it starts', async () => {
    const good = '{\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocation": "/etc/azure/post-script.sh",\n  "preScriptParams": ["--log", "a b"],\n  "timeoutInSeconds": 31\n}\n';
    await withClient(async (client) => {
      await client.open(configUri, good);
      const { markdown } = await client.request<{ markdown: string }>('vmsnapshot/predictedRunText', { uri: configUri });
      assert.match(markdown, /\*\*Azure agent: success/);
      assert.match(markdown, /6\. [^\n]*✓ assuming the scripts exit 0 in time/);
      assert.match(markdown, /\| `timeoutInSeconds` \| 33 s \(checked every 3 s; host cap 1800 s\) \|/);
      assert.match(markdown, /`sh \/etc\/azure\/pre-script.sh --log 'a b'`/);
      assert.match(markdown, /`sh \/etc\/azure\/post-script.sh`/);
    });
  });
});
