/**
 * The rehearsal engine on real scripts run by real dash, with real pipes and real time (short
 * limits: timeoutInSeconds 1–2, poll 1). Each case states what the agent does with such a script
 * (agent-semantics.md) and checks that the rehearsal reports exactly that.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { createNodeLauncher, PIPE_CAPACITY_BYTES, rehearse, RehearsalReport, RehearseOptions, systemClock } from '../../server/src/engine/rehearse';
import { RehearsalSetup, RehearsalTrees } from '../helpers/rehearsalTrees';
import { CONFIG_PATH as CONFIG, runningAsRoot, VmRoot } from '../helpers/vmRoot';

const trees = new RehearsalTrees();
after(() => trees.cleanUp());

async function rehearseIn(root: VmRoot, options: Partial<RehearseOptions> = {}): Promise<RehearsalReport> {
  const analysis = analyzeConfigFile(root.local(CONFIG), { root: root.dir, fileChecks: 'on' });
  const report = await rehearse(analysis, {
    launcher: createNodeLauncher(systemClock),
    clock: systemClock,
    fileSystem: nodeFileSystem,
    windowSeconds: 0,
    skipPost: false,
    maxWaitSeconds: 0,
    asRoot: runningAsRoot,
    ...options,
  });
  for (const phase of [report.pre, report.post]) if (phase.stillRunning && phase.pid) trees.leftRunningAt(phase.pid);
  return report;
}

async function rehearseScripts(setup: RehearsalSetup, options: Partial<RehearseOptions> = {}): Promise<RehearsalReport> {
  return rehearseIn(trees.layOut(setup), options);
}

describe('rehearse: the agent\'s code for what the scripts do', { concurrency: 4, skip: !runningAsRoot && 'the agent checks root ownership: run as root' }, () => {
  it('both scripts exit 0: 0 Success, application consistent', async () => {
    const report = await rehearseScripts({ pre: 'echo quiesced\nexit 0\n', post: 'echo resumed\n' });
    assert.equal(report.ran, true);
    assert.deepEqual([report.agent.code, report.agent.name, report.consistency, report.snapshot], [0, 'Success', 'application', true]);
    assert.deepEqual([report.pre.result, report.pre.exitCode, report.post.result, report.post.exitCode], ['success', 0, 'success', 0]);
    assert.equal(report.pre.output?.stdout, 'quiesced\n');
    assert.equal(report.post.output?.stdout, 'resumed\n');
    assert.deepEqual(report.pre.argv, ['sh', '/etc/azure/pre.sh']);
  });

  for (const status of [1, 2, 255]) {
    it(`a pre-script exiting ${status} is a failure (300), not a warning; the post-script still runs`, async () => {
      const report = await rehearseScripts({ pre: `echo failing >&2\nexit ${status}\n`, post: 'echo post ran\n' });
      assert.deepEqual([report.agent.code, report.agent.docName, report.consistency, report.snapshot], [300, 'Pre-ScriptExecutionFailed', 'file-system', true]);
      assert.deepEqual([report.pre.result, report.pre.exitCode], ['failed', status]);
      assert.equal(report.pre.output?.stderr, 'failing\n');
      assert.equal(report.post.result, 'success');
      assert.equal(report.post.output?.stdout, 'post ran\n');
      assert.ok(report.post.startedAt! >= report.pre.agentDoneAt!, 'the post-script starts after the agent is done with the pre-script');
    });
  }

  it('exit 256 is 0 for the shell, so it is a success', async () => {
    const report = await rehearseScripts({ pre: 'exit 256\n' });
    assert.deepEqual([report.pre.result, report.pre.exitCode, report.agent.code], ['success', 0, 0]);
  });

  it('a post-script exiting 1 gives 301, after the snapshot', async () => {
    const report = await rehearseScripts({ pre: 'exit 0\n', post: 'exit 1\n' });
    assert.deepEqual([report.agent.code, report.consistency, report.snapshot, report.window?.opened], [301, 'file-system', true, true]);
  });

  it('a pre-script sleeping past the limit times out (308), is not killed, and is still running when the post-script starts', async () => {
    const report = await rehearseScripts({ pre: 'sleep 4\nexit 0\n', config: { timeoutInSeconds: 1 } });
    assert.deepEqual([report.agent.code, report.agent.docName, report.consistency], [308, 'Pre-ScriptTimeout', 'file-system']);
    assert.equal(report.pre.result, 'timedout');
    assert.equal(report.pre.stillRunning, true);
    assert.equal(report.pre.exitCode, null);
    assert.ok(report.pre.pid! > 0);
    // Not killed: the process is still there after the whole rehearsal.
    assert.doesNotThrow(() => process.kill(report.pre.pid!, 0));
    assert.equal(report.post.result, 'success', 'the post-script runs after a timed-out pre-script');
    assert.ok(report.warnings.some((warning) => warning.code === 'preStillRunning'));
    assert.ok(report.warnings.some((warning) => warning.code === 'timedOut' && warning.side === 'pre'));
  });

  it('--max-wait waits for a timed-out script to end, and the agent still reports the timeout', async () => {
    const report = await rehearseScripts({ pre: 'sleep 2\nexit 0\n', config: { timeoutInSeconds: 1 } }, { maxWaitSeconds: 10 });
    assert.equal(report.agent.code, 308);
    assert.deepEqual([report.pre.result, report.pre.exitCode, report.pre.stillRunning], ['timedout', 0, false]);
    assert.ok(report.pre.seconds! >= 1.9 && report.pre.seconds! < 5, `ran ${report.pre.seconds} s`);
    assert.ok(!report.warnings.some((warning) => warning.code === 'preStillRunning'));
  });

  it('a post-script past the limit times out (309)', async () => {
    const report = await rehearseScripts({ pre: 'exit 0\n', post: 'sleep 3\n', config: { timeoutInSeconds: 1 } });
    assert.deepEqual([report.agent.code, report.post.result, report.post.stillRunning], [309, 'timedout', true]);
  });

  it('100 KiB written to stdout fills the unread pipe at 64 KiB: the script blocks and times out', async () => {
    const report = await rehearseScripts({ pre: 'head -c 102400 /dev/zero | tr "\\0" x\necho done >&2\nexit 0\n', config: { timeoutInSeconds: 1 } });
    assert.deepEqual([report.agent.code, report.pre.result], [308, 'timedout']);
    assert.equal(report.pre.pipeBytes?.stdout, PIPE_CAPACITY_BYTES);
    assert.equal(report.pre.pipeBytes?.stderr, 0, 'the script never got past the blocked write');
    assert.ok(report.warnings.some((warning) => warning.code === 'pipeFull' && warning.side === 'pre'));
  });

  it('exactly 64 KiB fits in the pipe: the script ends and succeeds', async () => {
    const report = await rehearseScripts({ pre: `head -c ${PIPE_CAPACITY_BYTES} /dev/zero | tr "\\0" x\nexit 0\n` });
    assert.deepEqual([report.agent.code, report.pre.result, report.pre.pipeBytes?.stdout], [0, 'success', PIPE_CAPACITY_BYTES]);
  });

  it('bash-only syntax behind a bash shebang: sh ignores the shebang, [[ is not found and the else branch runs', async () => {
    const report = await rehearseScripts({ pre: '#!/bin/bash\nif [[ -n "$PATH" ]]; then\n  exit 0\nfi\necho "took the else branch"\nexit 1\n' });
    assert.deepEqual([report.agent.code, report.pre.result, report.pre.exitCode], [300, 'failed', 1]);
    assert.match(report.pre.output!.stderr, /\[\[: not found/);
    assert.equal(report.pre.output!.stdout, 'took the else branch\n');
    const codes = report.differences.filter((note) => note.side === 'pre').map((note) => note.code);
    assert.ok(codes.includes('ShebangIgnored'), codes.join());
    assert.ok(codes.includes('ScriptNotPosix'), codes.join());
  });

  it('set -o pipefail makes Debian\'s dash exit 2 at once', async () => {
    const report = await rehearseScripts({ pre: 'set -o pipefail\necho unreachable\n' });
    assert.deepEqual([report.agent.code, report.pre.exitCode, report.pre.output?.stdout], [300, 2, '']);
  });

  it('CRLF line endings: "then\\r" is not a keyword, so dash fails with a syntax error (exit 2)', async () => {
    const report = await rehearseScripts({ pre: 'echo start\r\nif true; then\r\n  exit 0\r\nfi\r\n' });
    assert.deepEqual([report.agent.code, report.pre.exitCode], [300, 2]);
    assert.match(report.pre.output!.stderr, /Syntax error/);
    assert.ok(report.differences.some((note) => note.code === 'ScriptCrlf'));
  });

  it('a UTF-8 BOM glues to the first word: "exit 0" on line 1 is not found (127)', async () => {
    const report = await rehearseScripts({ pre: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('exit 0\n')]) });
    assert.deepEqual([report.agent.code, report.pre.exitCode], [300, 127]);
    assert.match(report.pre.output!.stderr, /not found/);
    assert.ok(report.differences.some((note) => note.code === 'ScriptBom'));
  });

  it('passes the exact arguments the engine predicts, Python str() included', async () => {
    const report = await rehearseScripts({ pre: 'printf "%s|" "$#" "$@"\n', config: { preScriptParams: ['a b', '', true, 5] } });
    assert.deepEqual(report.pre.argv, ['sh', '/etc/azure/pre.sh', 'a b', '', 'True', '5']);
    assert.equal(report.pre.output?.stdout, '4|a b||True|5|');
  });

  it('a script that ignores its parameters runs as usual', async () => {
    const report = await rehearseScripts({ pre: 'exit 0\n', post: 'exit 0\n', config: { preScriptParams: ['unused'], postScriptParams: ['x', 'y'] } });
    assert.deepEqual([report.agent.code, report.pre.result, report.post.result], [0, 'success', 'success']);
    assert.deepEqual(report.post.argv, ['sh', '/etc/azure/post.sh', 'x', 'y']);
  });

  it('continueBackupOnFailure false: a failed pre-script means no snapshot, and the post-script still runs', async () => {
    const report = await rehearseScripts({ pre: 'exit 1\n', config: { continueBackupOnFailure: false } });
    assert.deepEqual([report.agent.code, report.consistency, report.snapshot, report.window?.opened], [300, 'none', false, false]);
    assert.equal(report.post.result, 'success');
  });

  it('fsFreezeEnabled false: a failed post-script fails the backup after the snapshot', async () => {
    const report = await rehearseScripts({ pre: 'exit 0\n', post: 'exit 4\n', config: { fsFreezeEnabled: false } });
    assert.deepEqual([report.agent.code, report.consistency, report.snapshot], [301, 'none', true]);
  });

  it('--skip-post: only the pre-script runs', async () => {
    const root = trees.layOut({ pre: 'exit 0\n', post: 'touch "$0.ran"\n' });
    const report = await rehearseIn(root, { skipPost: true });
    assert.equal(report.post.result, 'not-run');
    assert.equal(fs.existsSync(root.local('/etc/azure/post.sh.ran')), false);
    assert.ok(report.warnings.some((warning) => warning.code === 'postSkipped'));
  });

  it('runs nothing when the agent refuses the script before running anything (306)', async () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\nexit 0\n', preMode: 0o755 });
    const report = await rehearseIn(root);
    assert.equal(report.ran, false);
    assert.deepEqual([report.agent.code, report.agent.docName, report.consistency, report.pre.result, report.post.result], [306, 'InsufficientPermissionforPre-Script', 'file-system', 'not-run', 'not-run']);
    assert.match(report.reason!, /755|permission|group/i);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });

  it('runs nothing for a config the agent cannot load (305), which the portal does not show', async () => {
    const root = trees.layOut({ pre: 'touch "$0.ran"\n' });
    fs.writeFileSync(root.local(CONFIG), '{"preScriptLocation": "/etc/azure/pre.sh",}');
    const report = await rehearseIn(root);
    assert.deepEqual([report.ran, report.agent.code, report.consistency, report.snapshot], [false, 305, 'file-system', true]);
    assert.equal(fs.existsSync(root.local('/etc/azure/pre.sh.ran')), false);
  });

  it('the agent\'s environment: sh, no terminal, stdin /dev/null, a minimal PATH, no HOME, the extension folder as working directory', async () => {
    const root = trees.layOut({ pre: 'echo "PATH=$PATH"\necho "HOME=${HOME-unset}"\necho "TERM=${TERM-unset}"\necho "PWD=$(pwd)"\necho "STDIN=$(readlink /proc/self/fd/0)"\nif [ -t 1 ]; then echo tty; else echo notty; fi\n' });
    root.mkdir('/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9.0');
    root.mkdir('/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.10.0');
    // An installed extension ships its host conf; without one the agent reports 313 and runs nothing.
    for (const version of ['1.0.9.0', '1.0.10.0']) {
      root.write(`/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-${version}/main/VMSnapshotPluginHost.conf`, { content: '[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\npluginName0: ScriptRunner\npluginPath0: /etc/azure\npluginConfigPath0: /etc/azure/VMSnapshotScriptPluginConfig.json\n', mode: 0o644 });
    }
    const report = await rehearseIn(root);
    const lines = report.pre.output!.stdout.split('\n');
    assert.deepEqual(lines.slice(0, 6), [
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'HOME=unset',
      'TERM=unset',
      `PWD=${fs.realpathSync(root.local('/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.10.0'))}`,
      'STDIN=/dev/null',
      'notty',
    ]);
  });

  it('warns when a script uses 80 % of its limit or more', async () => {
    const report = await rehearseScripts({ pre: 'sleep 4.2\n', config: { timeoutInSeconds: 5, ScriptsExecutionPollTimeSeconds: 5 } });
    assert.deepEqual([report.agent.code, report.pre.result], [0, 'success']);
    assert.ok(report.warnings.some((warning) => warning.code === 'nearTimeout' && warning.side === 'pre'), JSON.stringify(report.warnings));
  });
});
