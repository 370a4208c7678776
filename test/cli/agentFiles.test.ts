/**
 * `vmsnapshot check` with the agent's other files in /etc/azure: the path the agent takes, the
 * host conf it uses (and the config that one names), vmbackup.conf and the mounts it freezes, on
 * temporary VM roots with real files. The bundled `dist/server.js` is spawned as users run it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { CONFIG_PATH, SHIPPED_HOST_CONF, VmRoot } from '../helpers/vmRoot';

const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');
const EXTENSION = '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9170.0';

interface JsonOutput {
  files: Array<{
    path: string;
    agent: { code: number; name: string; path: 'script' | 'workload'; workload: string | null; hostConf: { path: string; numberOfPlugins: number; timeoutCapSeconds: number } };
    diagnostics: Array<{ code: string; file: string; message: string; agentCode?: number }>;
  }>;
  vmbackup: { mountsToSkip: string[]; snapshotTimeoutSeconds: number; safeFreezeWaitSeconds: number; writeLog: boolean; uploadStatusAndLog: boolean; frozen?: string[] };
}

let vm: VmRoot;

function check(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [SERVER_JS, 'check', '--no-shellcheck', '--root', vm.dir, ...args], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, LANG: 'C', LC_ALL: '', NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
const checkJson = (args: string[] = []) => {
  const result = check(['--format', 'json', ...args]);
  return { status: result.status, output: JSON.parse(result.stdout) as JsonOutput };
};

beforeEach(() => {
  vm = new VmRoot();
});
afterEach(() => vm.remove());

describe('check: the path the agent takes', () => {
  test('no workload.conf: the script path, the shipped host conf assumed, vmbackup defaults', () => {
    vm.writeValidSetup();
    const { status, output } = checkJson();
    assert.equal(status, 0);
    assert.equal(output.files[0].agent.path, 'script');
    assert.equal(output.files[0].agent.workload, null);
    assert.deepEqual(output.files[0].agent.hostConf, { path: '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-<version>/main/VMSnapshotPluginHost.conf', numberOfPlugins: 1, timeoutCapSeconds: 1800 });
    assert.deepEqual(output.vmbackup, { mountsToSkip: [], snapshotTimeoutSeconds: 60, safeFreezeWaitSeconds: 66, writeLog: true, uploadStatusAndLog: true });
    assert.match(check([]).stdout, /no installed extension in this tree: assuming the copy shipped/);
  });

  test('an accepted workload_name: the workload path, the config "not used by the agent", and workload.conf\'s own findings at its file', () => {
    vm.writeValidSetup();
    const workload = vm.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = mysql\nlinux_user = root\ncredString = -u root -psecret\n' });
    const { status, output } = checkJson();
    const entry = output.files[0];
    assert.equal(entry.agent.path, 'workload');
    assert.equal(entry.agent.workload, 'mysql');
    const ignored = entry.diagnostics.find((diagnostic) => diagnostic.code === 'ConfigIgnoredByAgent');
    assert.ok(ignored, JSON.stringify(entry.diagnostics));
    assert.match(ignored.message, /line 2/);
    const own = entry.diagnostics.filter((diagnostic) => diagnostic.file === workload).map((diagnostic) => diagnostic.code).sort();
    assert.deepEqual(own, ['FailedWorkloadIPCDirectoryMissing', 'WorkloadCredentialsLogged']);
    assert.equal(status, 1, 'an error in workload.conf');
    const text = check([]).stdout;
    assert.match(text, /workload path/);
    assert.match(text, /FLUSH TABLES WITH READ LOCK/);
  });

  test('a quoted workload_name: the script path, and a warning at workload.conf', () => {
    vm.writeValidSetup();
    const workload = vm.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = "mysql"\n' });
    const { output } = checkJson();
    assert.equal(output.files[0].agent.path, 'script');
    assert.ok(output.files[0].diagnostics.some((diagnostic) => diagnostic.code === 'WorkloadNameNotAccepted' && diagnostic.file === workload));
  });
});

describe('check: the host conf the agent uses', () => {
  test('a host conf naming another config: that config is the one analysed, the default one is not used', () => {
    vm.writeHostConf(SHIPPED_HOST_CONF.replace('/etc/azure/VMSnapshotScriptPluginConfig.json', '/opt/backup/config.json'));
    const named = vm.writeValidSetup({}, '/opt/backup/config.json');
    const other = vm.write(CONFIG_PATH, { content: '{"preScriptLocation": "/nowhere.sh", "postScriptLocation": "/nowhere.sh"}' });
    const { output } = checkJson();
    const analysed = output.files.find((entry) => entry.path === named);
    assert.ok(analysed, `analyses ${named}: ${output.files.map((entry) => entry.path).join(', ')}`);
    assert.equal(analysed.agent.code, 0);
    const unused = output.files.find((entry) => entry.path === other);
    if (unused) assert.ok(unused.diagnostics.some((diagnostic) => diagnostic.code === 'ConfigIgnoredByAgent' && /not used by the agent|does not read/i.test(diagnostic.message)), JSON.stringify(unused.diagnostics));
  });

  test('no host conf in /etc/azure nor in the installed extension folder: 313', () => {
    vm.writeValidSetup();
    vm.write(`${EXTENSION}/main/handle.sh`, { content: '#!/bin/sh\n', mode: 0o755 });
    const { status, output } = checkJson();
    assert.equal(output.files[0].agent.code, 313);
    assert.equal(status, 1);
  });

  test('the installed extension\'s own host conf is used when /etc/azure has none', () => {
    vm.writeValidSetup();
    vm.writeHostConf(SHIPPED_HOST_CONF.replace('1800', '20'), `${EXTENSION}/main/VMSnapshotPluginHost.conf`);
    const { output } = checkJson();
    assert.equal(output.files[0].agent.hostConf.timeoutCapSeconds, 20);
    assert.equal(output.files[0].agent.hostConf.path, `${EXTENSION}/main/VMSnapshotPluginHost.conf`);
  });
});

describe('check: vmbackup.conf and what will be frozen', () => {
  test('what the agent reads, as it splits it, and the mounts it freezes from proc/mounts', () => {
    vm.writeValidSetup();
    const vmbackup = vm.write('/etc/azure/vmbackup.conf', { content: '[SnapshotThread]\nMountsToSkip = /data, /logs\nWriteLog = true\n' });
    vm.write('/proc/mounts', { content: '/dev/sda1 / ext4 rw 0 0\n/dev/sdc1 /data xfs rw 0 0\n/dev/sdd1 /logs ext4 rw 0 0\nserver:/x /nfs nfs4 rw 0 0\n/dev/sdb1 /mnt ext4 rw 0 0\n', mode: 0o644 });
    const { output } = checkJson();
    assert.deepEqual(output.vmbackup.mountsToSkip, ['/data', ' /logs']);
    assert.equal(output.vmbackup.writeLog, false);
    assert.deepEqual(output.vmbackup.frozen, ['/logs', '/']);
    assert.ok(output.files[0].diagnostics.some((diagnostic) => diagnostic.code === 'MountsToSkipNotMatched' && diagnostic.file === vmbackup));
    const text = check([]).stdout;
    assert.match(text, /frozen, in this order: \/logs, \//);
    assert.match(text, /\/nfs \(network or fuse\)/);
  });

  test('a duplicate key anywhere resets every key to the default', () => {
    vm.writeValidSetup();
    vm.write('/etc/azure/vmbackup.conf', { content: '[SnapshotThread]\nMountsToSkip = /data\n[Monitor]\nRun = False\nRun = False\n' });
    const { output } = checkJson();
    assert.deepEqual(output.vmbackup.mountsToSkip, []);
    assert.ok(output.files[0].diagnostics.some((diagnostic) => diagnostic.code === 'AgentFileNotParsed'));
  });
});
