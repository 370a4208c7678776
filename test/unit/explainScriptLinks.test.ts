/**
 * Findings of the log reader linked to the script line responsible when the config and its
 * scripts are readable: real files in VM trees (`<X>/etc/azure/…`), a plain folder of copies, and
 * the config alone.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { explainLogs } from '../../server/src/engine/logs/explain';
import type { Finding, RunReport } from '../../server/src/engine/logs/model';
import { renderRuns } from '../../server/src/engine/logs/render';
import { CONFIG_PATH as CONFIG, VmRoot } from '../helpers/vmRoot';
import { spec, writeRun, RunSpec } from './agentLogTemplates';

const roots: VmRoot[] = [];
after(() => {
  for (const root of roots) root.remove();
});

const CONFIG_TEXT = '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh",\n  "timeoutInSeconds": 10\n}\n';

/** A VM tree with the config and whichever scripts are given. */
function tree(scripts: { pre?: string; post?: string }, config = CONFIG_TEXT): VmRoot {
  const root = new VmRoot();
  roots.push(root);
  root.write(CONFIG, { content: config });
  if (scripts.pre !== undefined) root.write('/etc/azure/pre.sh', { content: scripts.pre, mode: 0o700 });
  if (scripts.post !== undefined) root.write('/etc/azure/post.sh', { content: scripts.post, mode: 0o700 });
  return root;
}

function explainIn(root: VmRoot, run: Partial<RunSpec>): RunReport {
  const configPath = root.local(CONFIG);
  const { runs } = explainLogs([{ path: 'extension.log', text: writeRun(spec(run)).text }, { path: configPath, text: fs.readFileSync(configPath, 'utf8') }], { fileSystem: nodeFileSystem });
  assert.equal(runs.length, 1);
  return runs[0];
}

function finding(run: RunReport, code: string): Finding {
  const found = run.findings.find((item) => item.code === code);
  assert.ok(found, `${code} among ${run.findings.map((item) => item.code).join(', ')}`);
  return found;
}

describe('explain: findings linked to the script line responsible', () => {
  it('pre-script failed with exit code 2: every `exit 2` of the pre-script, not its other exits', () => {
    const root = tree({ pre: '#!/bin/sh\nif ! systemctl is-active mysql; then\n  exit 2\nfi\nmysql -e "FLUSH TABLES" || exit 1\n[ -d /data ] || exit 2\nexit 0\n' });
    const related = finding(explainIn(root, { pre: 'failed', exitCode: 2 }), 'Pre-ScriptExecutionFailed').related;
    assert.deepEqual(related, { file: root.local('/etc/azure/pre.sh'), line: 3, script: 'pre', reason: 'exit', lines: [3, 6] });
  });

  it('exit 258 is status 2, as the shell truncates it', () => {
    const root = tree({ pre: 'echo start\nexit 258\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'failed', exitCode: 2 }), 'Pre-ScriptExecutionFailed').related, { file: root.local('/etc/azure/pre.sh'), line: 2, script: 'pre', reason: 'exit' });
  });

  it('an exit code no `exit` gives (a failing command, set -e): the script itself, at its first line', () => {
    const root = tree({ pre: '#!/bin/sh\nset -e\nfalse\nexit 0\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'failed', exitCode: 1 }), 'Pre-ScriptExecutionFailed').related, { file: root.local('/etc/azure/pre.sh'), line: 1, script: 'pre', reason: 'scriptStart' });
  });

  it('`exit 2` inside a comment or a here-document is not an exit', () => {
    const root = tree({ pre: '# exit 2 when mysql is down\ncat <<EOF >/tmp/x\nexit 2\nEOF\necho "exit 2"\n' });
    assert.equal(finding(explainIn(root, { pre: 'failed', exitCode: 2 }), 'Pre-ScriptExecutionFailed').related?.reason, 'scriptStart');
  });

  it('a script that cannot be read: the config\'s preScriptLocation line', () => {
    const root = tree({});
    assert.deepEqual(finding(explainIn(root, { pre: 'failed', exitCode: 2 }), 'Pre-ScriptExecutionFailed').related, { file: root.local(CONFIG), line: 3, key: 'preScriptLocation', reason: 'configKey' });
  });

  it('post-script failure behind code 1: the post-script\'s `exit 3`', () => {
    const root = tree({ pre: 'exit 0\n', post: '#!/bin/sh\nsystemctl start app || {\n  echo "cannot resume" >&2\n  exit 3\n}\n' });
    const run = explainIn(root, { post: 'failed', exitCode: 3 });
    assert.equal(run.finalCode, 1);
    assert.deepEqual(finding(run, 'Post-ScriptExecutionFailed').related, { file: root.local('/etc/azure/post.sh'), line: 4, script: 'post', reason: 'exit' });
  });

  it('pre-script timed out: a written-out wait at least as long as the limit wins over a wait loop', () => {
    const root = tree({ pre: 'until mysqladmin ping; do\n  sleep 1\ndone\nsleep 2\nsleep 1m\nexit 0\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'timedOut', timeoutSeconds: 10 }), 'Pre-ScriptTimeout').related, { file: root.local('/etc/azure/pre.sh'), line: 5, script: 'pre', reason: 'wait' });
  });

  it('pre-script timed out: else the loop that waits (its length is not in the text), not a short sleep', () => {
    const root = tree({ pre: 'sleep 2\necho waiting\nwhile [ ! -f /run/app.ready ]; do\n  sleep 1\ndone\nexit 0\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'timedOut', timeoutSeconds: 10 }), 'Pre-ScriptTimeout').related, { file: root.local('/etc/azure/pre.sh'), line: 3, script: 'pre', reason: 'wait' });
  });

  it('pre-script timed out: `timeout 60 …` is a wait of 60 s; a background sleep is none', () => {
    const root = tree({ pre: '(sleep 600; mysql -e "UNLOCK TABLES") &\ntimeout 60 pg_dump app >/backup/app.sql\nexit 0\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'timedOut', timeoutSeconds: 10 }), 'Pre-ScriptTimeout').related, { file: root.local('/etc/azure/pre.sh'), line: 2, script: 'pre', reason: 'wait' });
  });

  it('pre-script timed out with no wait in it: the config\'s timeoutInSeconds line', () => {
    const root = tree({ pre: 'mysql -e "FLUSH TABLES WITH READ LOCK"\nexit 0\n' });
    assert.deepEqual(finding(explainIn(root, { pre: 'timedOut', timeoutSeconds: 10 }), 'Pre-ScriptTimeout').related, { file: root.local(CONFIG), line: 5, key: 'timeoutInSeconds', reason: 'configKey' });
  });

  it('copies in a plain folder: the scripts are found by name next to the config', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-copies-'));
    try {
      fs.writeFileSync(path.join(folder, 'VMSnapshotScriptPluginConfig.json'), CONFIG_TEXT);
      fs.writeFileSync(path.join(folder, 'pre.sh'), 'echo one\nexit 4\n');
      const { runs } = explainLogs(
        [
          { path: path.join(folder, 'extension.log'), text: writeRun(spec({ pre: 'failed', exitCode: 4 })).text },
          { path: path.join(folder, 'VMSnapshotScriptPluginConfig.json'), text: CONFIG_TEXT },
        ],
        { fileSystem: nodeFileSystem },
      );
      assert.deepEqual(finding(runs[0], 'Pre-ScriptExecutionFailed').related, { file: path.join(folder, 'pre.sh'), line: 2, script: 'pre', reason: 'exit' });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('--root: the config of a tree kept elsewhere, its script paths resolved under the root', () => {
    const root = tree({ pre: 'exit 6\n' });
    const text = fs.readFileSync(root.local(CONFIG), 'utf8');
    const { runs } = explainLogs([{ path: 'extension.log', text: writeRun(spec({ pre: 'failed', exitCode: 6 })).text }, { path: '/anywhere/cfg.json', text, kind: 'scriptConfig' }], { fileSystem: nodeFileSystem, root: root.dir });
    assert.deepEqual(finding(runs[0], 'Pre-ScriptExecutionFailed').related, { file: root.local('/etc/azure/pre.sh'), line: 1, script: 'pre', reason: 'exit' });
  });

  it('without a file system to read scripts, only the config line', () => {
    const { runs } = explainLogs([{ path: 'extension.log', text: writeRun(spec({ pre: 'failed', exitCode: 2 })).text }, { path: CONFIG, text: CONFIG_TEXT }]);
    assert.deepEqual(finding(runs[0], 'Pre-ScriptExecutionFailed').related, { file: CONFIG, line: 3, key: 'preScriptLocation', reason: 'configKey' });
  });

  it('the text timeline says where, in plain words', () => {
    const root = tree({ pre: 'exit 0\n', post: 'echo resuming\nexit 3\n' });
    const text = renderRuns([explainIn(root, { post: 'failed', exitCode: 3 })]);
    assert.ok(text.includes(`→ ${root.local('/etc/azure/post.sh')}:2: the post-script exits 3 here`), text);
    const timedOut = renderRuns([explainIn(tree({ pre: 'sleep 30\n' }), { pre: 'timedOut', timeoutSeconds: 10 })]);
    assert.match(timedOut, /pre\.sh:1: the pre-script's longest wait/);
  });
});
