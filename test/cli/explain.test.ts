/**
 * `vmsnapshot explain` and `vmsnapshot redact` as users run them: the bundled CLI, spawned, on
 * files written from the agent's templates, laid out as on a VM.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DB_PASSWORD, SNAPSHOT_TOKEN, spec, statusJson, STORAGE_ACCOUNT, TASK_A, TASK_B, writeRun } from '../unit/agentLogTemplates';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [SERVER_JS, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1', ...env } });
  assert.equal(result.error, undefined);
  return result;
}

const JSON_KEYS = ['start', 'key', 'pre', 'post', 'scriptConfig', 'freeze', 'lastMilestone', 'snapshot', 'consistency', 'finalCode', 'healthCode', 'findings', 'evidence'];

describe('vmsnapshot explain', () => {
  let vm: string;
  let logs: string;
  before(() => {
    vm = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-explain-'));
    logs = path.join(vm, 'var', 'log', 'azure', 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux');
    const status = path.join(vm, 'var', 'lib', 'waagent', 'Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0', 'status');
    fs.mkdirSync(logs, { recursive: true });
    fs.mkdirSync(status, { recursive: true });
    const first = writeRun(spec({ sequenceNumber: 12, workloadCredentials: true }));
    const second = writeRun(spec({ sequenceNumber: 13, taskId: TASK_B, post: 'failed', exitCode: 3, start: new Date(Date.UTC(2026, 11, 3, 14, 26, 40)) }));
    fs.writeFileSync(path.join(logs, 'extension.log'), first.text + second.text);
    fs.writeFileSync(path.join(logs, 'shell.log'), 'Thu Dec  3 14:26:40 UTC 2026- ConfigSequenceNumber from environment variable seqNo:13\nThu Dec  3 14:26:43 UTC 2026- 0 returned from handle.py\n');
    fs.writeFileSync(path.join(status, '12_status'), statusJson({ code: 0, taskId: TASK_A, healthCode: 0, snapshotConsistency: 0, word: 'success', terminal: true }));
    fs.mkdirSync(path.join(vm, 'etc', 'azure'), { recursive: true });
    fs.writeFileSync(path.join(vm, 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json'), '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh"\n}\n');
    // The post-script the config names, with the exit that gave the agent's code 3.
    fs.writeFileSync(path.join(vm, 'etc', 'azure', 'post.sh'), '#!/bin/sh\nsystemctl start app && exit 0\necho "cannot resume" >&2\nexit 3\n', { mode: 0o700 });
    fs.writeFileSync(path.join(status, '13.status'), statusJson({ code: 1, taskId: TASK_B, healthCode: 301, snapshotConsistency: 0, word: 'success', terminal: true }));
  });
  after(() => fs.rmSync(vm, { recursive: true, force: true }));

  it('--format json: one document with the documented fields and vocabulary, every run of the folder', () => {
    const result = runCli(['explain', '--format', 'json', vm]);
    assert.equal(result.status, 1, result.stderr); // the post-script failure is an error finding
    const report = JSON.parse(result.stdout) as { runs: Record<string, unknown>[] };
    assert.deepEqual(Object.keys(report), ['runs']);
    assert.equal(report.runs.length, 2);
    for (const run of report.runs) assert.deepEqual(Object.keys(run), JSON_KEYS);
    const [first, second] = report.runs as unknown as { key: { sequenceNumber: number }; consistency: string; finalCode: number; healthCode: number; post: unknown; findings: { code: string; severity: string; file: string; line: number; message: string }[] }[];
    assert.deepEqual([first.key.sequenceNumber, first.consistency, first.finalCode], [12, 'application', 0]);
    assert.deepEqual([second.key.sequenceNumber, second.consistency, second.finalCode, second.healthCode], [13, 'fileSystem', 1, 301]);
    assert.deepEqual(second.post, { result: 'failed', exitCode: 3 });
    const failure = second.findings.find((finding) => finding.code === 'Post-ScriptExecutionFailed')!;
    assert.equal(failure.severity, 'error');
    assert.equal(fs.readFileSync(failure.file, 'utf8').split('\n')[failure.line - 1].endsWith('Postscript for script failed with error code: 3 .'), true);
  });

  it('no PATH: the VM\'s own files (log folder and status folder of any version), last run only', () => {
    const result = runCli(['explain', '--root', vm, '--format', 'json']);
    const report = JSON.parse(result.stdout) as { runs: { key: { sequenceNumber: number }; evidence: { healthCode: { file: string }[] } }[] };
    assert.deepEqual(report.runs.map((run) => run.key.sequenceNumber), [13]);
    assert.ok(report.runs[0].evidence.healthCode.length > 0);
    // The VM's script config is read too, and the post-script it names: the failure points at its `exit 3`.
    const failure = (report.runs[0] as unknown as { findings: { code: string; related?: { file: string; line: number } }[] }).findings.find((finding) => finding.code === 'Post-ScriptExecutionFailed');
    assert.deepEqual(failure?.related, { file: path.join(vm, 'etc', 'azure', 'post.sh'), line: 4, script: 'post', reason: 'exit' });
    const all = JSON.parse(runCli(['explain', '--root', vm, '--format', 'json', '--last', '5']).stdout) as { runs: unknown[] };
    assert.equal(all.runs.length, 2);
  });

  it('text: a timeline per run with the traps in plain words', () => {
    const result = runCli(['explain', '--last', '1', logs]);
    assert.match(result.stdout, /consistency reached: file-system consistent/);
    assert.match(result.stdout, /post-script: failed \(exit code 3\)/);
    assert.match(result.stdout, /FailureBehindSuccess: The backup reads successful \(code 1/);
    assert.match(result.stdout, /"Retrying" re-runs nothing/);
  });

  it('pt-BR', () => {
    const result = runCli(['explain', '--last', '1', logs], { LANG: 'pt_BR.UTF-8' });
    assert.match(result.stdout, /consistência alcançada: consistente no sistema de arquivos/);
  });

  it('--redact: no token, account, id or password in the output, JSON still valid', () => {
    const result = runCli(['explain', '--format', 'json', '--redact', vm]);
    for (const secret of [SNAPSHOT_TOKEN, STORAGE_ACCOUNT, TASK_A, TASK_B, DB_PASSWORD]) assert.ok(!result.stdout.includes(secret), secret);
    const report = JSON.parse(result.stdout) as { runs: { key: { taskId: string } }[] };
    assert.equal(report.runs[0].key.taskId, 'REDACTED-guid-1');
  });

  it('redact: the log itself, safe to paste, every other line unchanged', () => {
    const file = path.join(logs, 'extension.log');
    const result = runCli(['redact', file]);
    assert.equal(result.status, 0);
    for (const secret of [SNAPSHOT_TOKEN, STORAGE_ACCOUNT, TASK_A, DB_PASSWORD]) assert.ok(!result.stdout.includes(secret), secret);
    const original = fs.readFileSync(file, 'utf8').split('\n');
    const redacted = result.stdout.split('\n');
    assert.ok(original.filter((line, index) => line === redacted[index]).length > original.length * 0.7);
  });

  it('usage errors exit 2 with a message', () => {
    assert.equal(runCli(['explain', '--format', 'xml', vm]).status, 2);
    assert.equal(runCli(['explain', '--last', 'x', vm]).status, 2);
    const missing = runCli(['explain', path.join(vm, 'nothing-here')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file or folder/);
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-empty-'));
    assert.equal(runCli(['explain', '--root', empty]).status, 2);
    fs.rmSync(empty, { recursive: true });
  });
});
