/**
 * The language server on the agent's own log: the bundled server over stdio, an opened
 * `extension.log` written from the agent's templates.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { spec, writeRun, SNAPSHOT_TOKEN, TASK_B } from '../unit/agentLogTemplates';
import { fileUri, withClient } from './lspClient';

const logUri = fileUri(path.join(os.tmpdir(), 'vmsnapshot-lsp-logs', 'extension.log'));

const TWO_RUNS = writeRun(spec({ sequenceNumber: 12 })).text + writeRun(spec({ sequenceNumber: 13, taskId: TASK_B, post: 'failed', exitCode: 3, start: new Date(Date.UTC(2026, 11, 3, 14, 26, 40)) })).text;

describe('extension.log in the editor', () => {
  test('a code lens per run, on its first line, with its outcome', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(logUri, TWO_RUNS, 'vmsnapshot-log');
      const lenses = await client.codeLens(logUri);
      assert.equal(lenses.length, 2);
      assert.equal(lenses[0].range.start.line, 0);
      assert.match(lenses[0].command?.title ?? '', /^Backup run 12: application consistent · code 0/);
      assert.match(lenses[1].command?.title ?? '', /^Backup run 13: file-system consistent · code 1 .* post failed \(exit code 3\)/);
      assert.ok(lenses[1].range.start.line > 50);
    });
  });

  test('diagnostics on the lines that explain the failure, in pull and push mode', async () => {
    for (const pullDiagnostics of [true, false]) {
      await withClient({ pullDiagnostics }, async (client) => {
        await client.open(logUri, TWO_RUNS, 'vmsnapshot-log');
        const diagnostics = pullDiagnostics ? await client.pullDiagnostics(logUri) : (await client.waitForDiagnostics(logUri, (params) => params.diagnostics.length > 0)).diagnostics;
        const failure = diagnostics.find((diagnostic) => diagnostic.code === 'Post-ScriptExecutionFailed');
        assert.ok(failure, JSON.stringify(diagnostics.map((diagnostic) => diagnostic.code)));
        assert.equal(failure.severity, DiagnosticSeverity.Error);
        assert.match(failure.codeDescription?.href ?? '', /README\.md#explaining-a-backup-from-the-agents-own-logs$/);
        assert.match(TWO_RUNS.split('\n')[failure.range.start.line], /Postscript for script failed with error code: 3 \.$/);
        assert.ok(diagnostics.some((diagnostic) => diagnostic.code === 'FailureBehindSuccess' && diagnostic.severity === DiagnosticSeverity.Warning));
        // The misleading lines are hovers, not squiggles.
        assert.ok(!diagnostics.some((diagnostic) => diagnostic.code === 'RetryNeverReruns'));
      });
    }
  });

  test('with the config and its scripts next to the log, the failure links to the script\'s `exit 3` (related information)', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-lsp-logcopy-'));
    try {
      fs.writeFileSync(path.join(folder, 'VMSnapshotScriptPluginConfig.json'), '{\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh"\n}\n');
      fs.writeFileSync(path.join(folder, 'post.sh'), '#!/bin/sh\nsystemctl start app || exit 3\nexit 0\n');
      const uri = fileUri(path.join(folder, 'extension.log'));
      await withClient({ pullDiagnostics: true }, async (client) => {
        await client.open(uri, TWO_RUNS, 'vmsnapshot-log');
        const failure = (await client.pullDiagnostics(uri)).find((diagnostic) => diagnostic.code === 'Post-ScriptExecutionFailed');
        assert.deepEqual(
          failure?.relatedInformation?.map((info) => [info.location.uri, info.location.range.start.line, info.message]),
          [[fileUri(path.join(folder, 'post.sh')), 1, 'the post-script exits 3 here']],
        );
        // The pre-script is not there: nothing links to it, nothing breaks.
        assert.equal((await client.pullDiagnostics(uri)).filter((diagnostic) => diagnostic.relatedInformation?.length).length, 1);
      });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('a hover on a misleading line says what it really means', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(logUri, TWO_RUNS, 'vmsnapshot-log');
      const line = TWO_RUNS.split('\n').findIndex((text) => text.endsWith('Postscript for script failed. Retrying...'));
      const hover = await client.hover(logUri, { line, character: 5 });
      assert.match(JSON.stringify(hover?.contents), /re-runs nothing/);
      assert.equal(await client.hover(logUri, { line: 3, character: 0 }), null);
    });
  });

  test('vmsnapshot/redact returns the text without its secrets', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const redacted = await client.request<string>('vmsnapshot/redact', { text: TWO_RUNS });
      assert.ok(!redacted.includes(SNAPSHOT_TOKEN));
      assert.equal(redacted.split('\n').length, TWO_RUNS.split('\n').length);
    });
  });

  test('any text opened as a log: no crash, no error logged', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(logUri, '\u0000\uffff[{"status": 1}]\n2026-12-02 14:26:40.1 [MyBackupTestLinuxInt-0.0]', 'vmsnapshot-log');
      assert.deepEqual(await client.codeLens(logUri), []);
      await client.pullDiagnostics(logUri);
    });
  });
});
