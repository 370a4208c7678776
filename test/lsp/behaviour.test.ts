import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { fileUri, LspClient } from './lspClient';

/**
 * What the scripts do, over LSP with the built server: the findings on the scripts' own
 * documents, each quick fix applied and the finding gone, the pairing on the post-script, and the
 * predicted result that says "application consistency not achieved".
 */
let workspace: VmRoot;
let configPath: string;
let prePath: string;
let postPath: string;

const PRE = [
  '#!/bin/sh',
  'exec >>/var/log/pre.log 2>&1',
  'sudo systemctl stop cron || exit 1',
  'mysql -e "FLUSH TABLES WITH READ LOCK" | tee -a /var/log/lock.log',
  'if [ $? -ne 0 ]; then exit 1; fi',
  'mysql -e "STOP SLAVE" || exit 1',
  'exit 0',
  '',
].join('\n');
const POST = '#!/bin/sh\nexec >>/var/log/post.log 2>&1\n[ -f /run/x ] || exit 0\nmysql -e "START REPLICA"\n';

before(() => {
  workspace = new VmRoot();
  // 644 as an editor saves them: a workspace copy's modes are not judged.
  const config = { preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30 };
  configPath = workspace.write(CONFIG_PATH, { content: JSON.stringify(config, null, 2), mode: 0o644 });
  prePath = workspace.write('/etc/azure/pre.sh', { content: PRE, mode: 0o644 });
  postPath = workspace.write('/etc/azure/post.sh', { content: POST, mode: 0o644 });
});

after(() => workspace.remove());

async function startInWorkspace(): Promise<LspClient> {
  const client = await LspClient.start({ pullDiagnostics: true, workspaceFolders: [workspace.dir], settings: { shellcheck: { enable: false } } });
  await client.waitForRefresh(0);
  return client;
}

/** Applies the quick fix the server offers for the finding, and answers the new text. */
async function applyQuickFix(client: LspClient, uri: string, text: string, finding: Diagnostic): Promise<{ title: string; text: string }> {
  const actions = await client.codeActions({ textDocument: { uri }, range: finding.range, context: { diagnostics: [finding] } });
  const action = actions.find((candidate) => candidate.diagnostics?.[0]?.code === finding.code && candidate.edit);
  const edits = action?.edit?.changes?.[uri] as TextEdit[] | undefined;
  assert.ok(action && edits, `no quick fix for ${finding.code}: ${JSON.stringify(actions)}`);
  return { title: action.title, text: TextDocument.applyEdits(TextDocument.create(uri, 'shellscript', 1, text), edits) };
}

describe('what the scripts do, over LSP', () => {
  it('the pre-script gets the behaviour findings on its own document, at the exact commands', async () => {
    const client = await startInWorkspace();
    try {
      await client.open(fileUri(prePath), PRE, 'shellscript');
      const found = (await client.pullDiagnostics(fileUri(prePath))).map((d) => `${d.code}@${d.range.start.line}:${d.severity}`);
      for (const expected of ['SudoInRootScript@2:3', 'LockReleasedAtOnce@3:1', 'ExitStatusLost@4:2', 'RemovedApi@5:2', 'QuiesceUnbounded@2:2']) {
        assert.ok(found.includes(expected), `${expected} not in ${found.join(' ')}`);
      }
    } finally {
      await client.shutdown();
    }
  });

  it('each quick fix removes its finding: pipeline status, sudo, START/STOP SLAVE', async () => {
    const client = await startInWorkspace();
    try {
      const uri = fileUri(prePath);
      let text = PRE;
      await client.open(uri, text, 'shellscript');
      for (const [code, expectedLine] of [
        ['ExitStatusLost', '{ first_status=$( { { mysql -e "FLUSH TABLES WITH READ LOCK"; echo $? >&3; } | tee -a /var/log/lock.log >&4; } 3>&1 ); } 4>&1'],
        ['SudoInRootScript', 'systemctl stop cron || exit 1'],
        ['RemovedApi', 'mysql -e "STOP REPLICA" || exit 1'],
      ] as const) {
        const finding = (await client.pullDiagnostics(uri)).find((d) => d.code === code && (d.data as { fixTitle?: string } | undefined)?.fixTitle);
        assert.ok(finding, `${code} before its fix`);
        const fixed = await applyQuickFix(client, uri, text, finding);
        assert.ok(fixed.text.split('\n').includes(expectedLine), `${fixed.title}:\n${fixed.text}`);
        text = fixed.text;
        await client.change(uri, text);
        const left = (await client.pullDiagnostics(uri)).filter((d) => d.code === code && d.range.start.line === finding.range.start.line);
        assert.deepEqual(left, [], `${code} after "${fixed.title}"`);
      }
      assert.match(text, /if \[ "\$first_status" -ne 0 \]/);
    } finally {
      await client.shutdown();
    }
  });

  it('the post-script hears that it never starts what the pre-script stopped', async () => {
    const client = await startInWorkspace();
    try {
      await client.open(fileUri(postPath), POST, 'shellscript');
      const undo = (await client.pullDiagnostics(fileUri(postPath))).filter((d) => d.code === 'UndoMissing');
      assert.equal(undo.length, 1);
      assert.match(String(undo[0].message), /systemctl start/);
      // Adding the undo in the editor (not yet saved) answers it.
      const fixed = `${POST}systemctl start cron\n`;
      await client.change(fileUri(postPath), fixed);
      assert.deepEqual((await client.pullDiagnostics(fileUri(postPath))).filter((d) => d.code === 'UndoMissing'), []);
    } finally {
      await client.shutdown();
    }
  });

  it('the code lens and the effective request say "application consistency not achieved" with the rule', async () => {
    const client = await startInWorkspace();
    try {
      const uri = fileUri(configPath);
      await client.open(uri, fs.readFileSync(configPath, 'utf8'));
      const lenses = await client.codeLens(uri);
      const title = lenses[0]?.command?.title ?? '';
      assert.match(title, /success/i);
      assert.match(title, /application consistency not achieved \(LockReleasedAtOnce, pre\.sh:4\)/);
      const effective = (await client.connection.sendRequest('vmsnapshot/predictedRun', { uri })) as { agent: { code: number; consistencyNotAchieved?: { code: string; file: string; line: number } } };
      assert.equal(effective.agent.code, 0);
      assert.deepEqual(effective.agent.consistencyNotAchieved, { code: 'LockReleasedAtOnce', file: prePath, line: 3 });
    } finally {
      await client.shutdown();
    }
  });
});
