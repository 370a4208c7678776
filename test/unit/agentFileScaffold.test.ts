import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { WORKLOAD_NAMES } from '../../server/src/engine/agentFiles/catalogue';
import { composeVmbackupConf, composeWorkloadConf } from '../../server/src/engine/agentFiles/scaffoldConf';
import { analyzeVmbackupConf } from '../../server/src/engine/agentFiles/vmbackupConf';
import { analyzeWorkloadConf } from '../../server/src/engine/agentFiles/workloadConf';
import { runScaffoldCommand } from '../../server/src/cli/scaffoldCommand';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const hasPython = spawnSync('python3', ['--version']).status === 0;

/** The agent's own reading (WorkloadPatch.confParser's first steps, HandlerUtil's getter) in python3. */
function pythonReads(text: string, section: string, keys: string[]): Record<string, string | null> {
  const program = `
import configparser, json, sys
cp = configparser.ConfigParser()
cp.read_string(sys.stdin.read())
print(json.dumps({k: cp.get(${JSON.stringify(section)}, k) if cp.has_option(${JSON.stringify(section)}, k) else None for k in ${JSON.stringify(keys)}}))`;
  const run = spawnSync('python3', ['-c', program], { input: text, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Record<string, string | null>;
}

describe('scaffolded workload.conf and vmbackup.conf', () => {
  for (const name of WORKLOAD_NAMES) {
    it(`workload.conf for ${name}: accepted by the agent with no 5xx, no finding, and read the same by python3`, { skip: hasPython ? false : 'python3 is not installed' }, () => {
      const conf = composeWorkloadConf(name);
      assert.equal(conf.mode, 0o600);
      const analysis = analyzeWorkloadConf(conf.content, '/tmp/workload.conf', { postgresMajor: 14 });
      assert.equal(analysis.prediction.name, name);
      assert.deepEqual(analysis.prediction.errors, []);
      assert.deepEqual(analysis.diagnostics.map((diagnostic) => diagnostic.code), []);
      const python = pythonReads(conf.content, 'workload', ['workload_name', 'linux_user', 'timeout', 'ipc_folder', 'credstring']);
      assert.equal(python.workload_name, name);
      assert.equal(python.linux_user, analysis.prediction.values.linuxUser);
      assert.equal(python.credstring, null, 'no credentials in the file');
      assert.match(conf.content, /Not undone if the agent dies after pre/);
    });
  }

  it('vmbackup.conf: the keys that matter at safe values, no finding', () => {
    const conf = composeVmbackupConf();
    const analysis = analyzeVmbackupConf({ text: conf.content, vmPath: conf.vmPath }, '/tmp/vmbackup.conf');
    assert.deepEqual(analysis.diagnostics, []);
    assert.equal(analysis.prediction.source, 'file');
    assert.equal(analysis.prediction.snapshotTimeoutSeconds, 60);
    assert.equal(analysis.prediction.safeFreezeWaitSeconds, 66);
    assert.deepEqual(analysis.prediction.mountsToSkip, []);
  });

  it('the snippets are the scaffolded files', () => {
    const workload = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'vmsnapshot-workload.json'), 'utf8')) as Record<string, { body: string[] }>;
    for (const name of WORKLOAD_NAMES) assert.equal(workload[`workload.conf: ${name}`].body.join('\n'), composeWorkloadConf(name).content);
    const vmbackup = JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', 'vmsnapshot-vmbackup.json'), 'utf8')) as Record<string, { body: string[] }>;
    assert.equal(Object.values(vmbackup)[0].body.join('\n'), composeVmbackupConf().content);
  });

  it('vmsnapshot scaffold --app workload-mysql writes workload.conf with mode 600 and never replaces one without --force', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-conf-'));
    try {
      const lines: string[] = [];
      const io = { stdout: (text: string) => lines.push(text), stderr: (text: string) => lines.push(text) };
      assert.equal(await runScaffoldCommand(['--app', 'workload-mysql', '--out', out], io), 0);
      const written = path.join(out, 'workload.conf');
      assert.equal(fs.statSync(written).mode & 0o777, 0o600);
      assert.equal(fs.readFileSync(written, 'utf8'), composeWorkloadConf('mysql').content);
      fs.writeFileSync(written, 'mine');
      assert.equal(await runScaffoldCommand(['--app', 'workload-mysql', '--out', out], io), 1);
      assert.equal(fs.readFileSync(written, 'utf8'), 'mine');
      assert.equal(await runScaffoldCommand(['--app', 'vmbackup', '--out', out, '--force'], io), 0);
      assert.equal(fs.statSync(path.join(out, 'vmbackup.conf')).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
