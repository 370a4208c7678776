/**
 * `vmsnapshot rehearse` as a user runs it on the VM: the bundled CLI, spawned, on temporary VM
 * roots with real modes and owners (--root), running real scripts under dash.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { parseArgs } from '../../server/src/cli/args';
import { REHEARSE_BOOLEANS, REHEARSE_VALUED, runRehearseCommand } from '../../server/src/cli/rehearseCommand';
import { RehearsalTrees } from '../helpers/rehearsalTrees';
import { runningAsRoot } from '../helpers/vmRoot';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const trees = new RehearsalTrees();
after(() => trees.cleanUp());

function rehearseCli(args: string[]) {
  const result = spawnSync(process.execPath, [SERVER_JS, 'rehearse', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C', LC_ALL: '', LC_MESSAGES: '', NO_COLOR: '1' },
  });
  assert.equal(result.error, undefined, String(result.error));
  return result;
}

interface JsonPhase {
  result: 'success' | 'failed' | 'timedout' | 'not-run';
  exitCode: number | null;
  seconds: number | null;
  stillRunning: boolean;
  pid: number | null;
  pipeBytes: { stdout: number; stderr: number } | null;
  output: { stdout: string; stderr: string } | null;
  startedAt: number | null;
  endedAt: number | null;
}
interface JsonReport {
  ran: boolean;
  agent: { code: number; name: string; docName?: string };
  consistency: 'application' | 'file-system' | 'crash' | 'none';
  snapshot: boolean;
  pre: JsonPhase;
  post: JsonPhase;
  window: { opened: boolean; command: string | null; exitCode: number | null; startedAt: number } | null;
}

describe('vmsnapshot rehearse', { concurrency: 4, skip: !runningAsRoot && 'the agent checks root ownership: run as root' }, () => {
  it('refuses to run anything without a terminal to confirm in, unless --yes', () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\n' });
    const result = rehearseCli(['--root', root.dir]);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--yes/);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });

  it('runs nothing when the person at the terminal says no', async () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\n' });
    const out: string[] = [];
    let asked = '';
    const status = await runRehearseCommand(parseArgs(['--root', root.dir], REHEARSE_VALUED, REHEARSE_BOOLEANS), {
      stdout: (text) => out.push(text),
      stderr: (text) => out.push(text),
      confirm: async (question) => {
        asked = question;
        return false;
      },
    });
    assert.equal(status, 2);
    assert.match(asked, /pre: {2}sh \/etc\/azure\/pre\.sh/);
    assert.match(asked, /time limit 2 s/);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });

  it('--format json: one document in the contract, exit 0 when the agent reports success', () => {
    const root = trees.layOut({ pre: 'echo quiesced\n', post: 'echo resumed\n' });
    const result = rehearseCli(['--root', root.dir, '--yes', '--format', 'json', '--between', 'true']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual(report.agent, { code: 0, name: 'Success' });
    assert.deepEqual([report.consistency, report.snapshot, report.ran], ['application', true, true]);
    for (const phase of [report.pre, report.post]) {
      assert.deepEqual(Object.keys(phase).sort(), ['agentDoneAt', 'argv', 'endedAt', 'exitCode', 'output', 'pid', 'pipeBytes', 'result', 'script', 'seconds', 'startedAt', 'stillRunning']);
      assert.deepEqual([phase.result, phase.exitCode, phase.stillRunning], ['success', 0, false]);
    }
    assert.deepEqual(report.pre.pipeBytes, { stdout: 9, stderr: 0 });
    assert.equal(report.post.output?.stdout, 'resumed\n');
  });

  it('exit 1 and the agent\'s code when a script fails; the post-script runs after a failed pre-script', () => {
    const root = trees.layOut({ pre: 'exit 2\n', post: 'echo post ran\n' });
    const result = rehearseCli(['--root', root.dir, '--yes', '--format', 'json', '--between', 'true']);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual([report.agent.code, report.agent.docName, report.consistency], [300, 'Pre-ScriptExecutionFailed', 'file-system']);
    assert.equal(report.post.output?.stdout, 'post ran\n');
  });

  it('--between runs in the snapshot window: after the pre-script, before the post-script', () => {
    const root = trees.layOut({ pre: 'touch "$0.done"\n', post: 'touch "$0.done"\n' });
    const pre = root.local('/etc/azure/pre.sh.done');
    const post = root.local('/etc/azure/post.sh.done');
    const marker = root.local('/window.ok');
    const result = rehearseCli(['--root', root.dir, '--yes', '--format', 'json', '--between', `test -e ${pre} && ! test -e ${post} && touch ${marker}`]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(fs.existsSync(marker), 'the command ran between the scripts');
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual([report.window?.opened, report.window?.exitCode], [true, 0]);
  });

  it('text: a timeline, the agent\'s result, and the output as the scripts wrote it', () => {
    const root = trees.layOut({ pre: 'echo "token=s3cr3t as written"\nexit 1\n' });
    const result = rehearseCli(['--root', root.dir, '--yes', '--between', 'true']);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /pre +sh \/etc\/azure\/pre\.sh\n +failed \(exit 1\), [0-9.]+ s of 2 s/);
    assert.match(result.stdout, /Agent result: 300 FailedPrepostPreScriptFailed \(Pre-ScriptExecutionFailed\): file-system-consistent snapshot/);
    assert.match(result.stdout, /\| token=s3cr3t as written/);
    assert.match(result.stderr, /pre-script started \(pid \d+\)/);
  });

  it('--max-wait 0: a script past the limit is reported timed out and left running, with its pid', () => {
    const root = trees.layOut({ pre: 'sleep 5\n', config: { timeoutInSeconds: 1 } });
    const result = rehearseCli(['--root', root.dir, '--yes', '--format', 'json', '--between', 'true', '--max-wait', '0']);
    const report = JSON.parse(result.stdout) as JsonReport;
    if (report.pre.pid) trees.leftRunningAt(report.pre.pid);
    assert.equal(result.status, 1);
    assert.deepEqual([report.agent.code, report.pre.result, report.pre.stillRunning], [308, 'timedout', true]);
    assert.doesNotThrow(() => process.kill(report.pre.pid!, 0), 'the script is not killed');
    assert.equal(report.post.result, 'success');
  });

  it('--skip-post and --report FILE', () => {
    const root = trees.layOut({ pre: 'exit 0\n', post: 'touch "$0.ran"\n' });
    const file = root.local('/report.json');
    const result = rehearseCli(['--root', root.dir, '--yes', '--skip-post', '--between', 'true', '--report', file]);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(fs.readFileSync(file, 'utf8')) as JsonReport;
    assert.equal(report.post.result, 'not-run');
    assert.equal(fs.existsSync(root.local('/etc/azure/post.sh.ran')), false);
  });

  it('runs nothing and reports the agent\'s result when it refuses a script first (306)', () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\n', preMode: 0o755 });
    const result = rehearseCli(['--root', root.dir, '--yes', '--format', 'json']);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as JsonReport;
    assert.deepEqual([report.ran, report.agent.code, report.pre.result], [false, 306, 'not-run']);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });

  it('refuses a config the agent ignores (workload.conf names a database)', () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\n' });
    root.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = mysql\n', mode: 0o600 });
    const result = rehearseCli(['--root', root.dir, '--yes']);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Nothing to rehearse/);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });
});
