import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readAgentFiles, VmFiles } from '../../server/src/engine/agentFiles/etcAzure';
import { predictFrozenMounts } from '../../server/src/engine/agentFiles/frozenMounts';
import { analyzePluginHostConf } from '../../server/src/engine/agentFiles/pluginHostConf';
import { analyzeVmbackupConf } from '../../server/src/engine/agentFiles/vmbackupConf';
import { describeWorkloadBehaviour } from '../../server/src/engine/agentFiles/workloadBehaviour';
import { analyzeWorkloadConf } from '../../server/src/engine/agentFiles/workloadConf';
import type { EngineDiagnostic } from '../../server/src/engine/types';

/** A VM tree in memory: files by VM path, folders derived from them. */
export function memoryVm(files: Record<string, string | { text: string; mode: number; uid: number }>, wholeVm = true): VmFiles {
  return {
    wholeVm,
    read(vmPath) {
      const file = files[vmPath];
      if (file === undefined) return { kind: 'absent' };
      return typeof file === 'string' ? { kind: 'text', text: file, localPath: `/vm${vmPath}` } : { kind: 'text', text: file.text, localPath: `/vm${vmPath}`, mode: file.mode, uid: file.uid };
    },
    list(vmPath) {
      const prefix = `${vmPath}/`;
      const names = new Set(Object.keys(files).filter((file) => file.startsWith(prefix)).map((file) => file.slice(prefix.length).split('/')[0]));
      return names.size > 0 ? [...names].sort() : undefined;
    },
  };
}

function found(diagnostics: readonly EngineDiagnostic[]): Array<[string, string, number | undefined]> {
  return diagnostics.map((diagnostic) => [diagnostic.code, String(diagnostic.data?.rule), diagnostic.agentCode]);
}

function has(diagnostics: readonly EngineDiagnostic[], code: string, rule: string, agentCode?: number): EngineDiagnostic {
  const match = diagnostics.find((diagnostic) => diagnostic.code === code && diagnostic.data?.rule === rule);
  assert.ok(match, `expected ${code}/${rule} in ${JSON.stringify(found(diagnostics))}`);
  if (agentCode !== undefined) assert.equal(match.agentCode, agentCode);
  return match;
}

const WORKLOAD = '/vm/etc/azure/workload.conf';
const workload = (text: string, postgresMajor?: number) => analyzeWorkloadConf(text, WORKLOAD, { postgresMajor });

describe('workload.conf: the path the agent takes', () => {
  it('takes the workload path only for the four exact names, and names the deciding line', () => {
    const accepted = workload('# db\n[workload]\nworkload_name = mysql\nipc_folder = /var/lib/mysql-files\nlinux_user = mysql\n');
    assert.equal(accepted.prediction.name, 'mysql');
    assert.equal(accepted.prediction.decision, 'accepted');
    assert.equal(accepted.prediction.decidingLine, 2);
    assert.deepEqual(accepted.prediction.errors, []);
    for (const value of ['"mysql"', 'MySQL', 'postgresql', '']) {
      const refused = workload(`[workload]\nworkload_name = ${value}\n`);
      assert.equal(refused.prediction.name, null, value);
      assert.equal(refused.prediction.decision, 'nameNotAccepted');
    }
  });

  it('says "did you mean" without the quotes, and for a wrong case', () => {
    const quoted = has(workload('[workload]\nworkload_name = "mysql"\n').diagnostics, 'WorkloadNameNotAccepted', 'workloadName');
    assert.equal(quoted.data?.suggestion, 'mysql');
    assert.deepEqual(quoted.range, { start: { line: 1, character: 16 }, end: { line: 1, character: 23 } });
    assert.equal(quoted.file, WORKLOAD);
    assert.equal(has(workload('[workload]\nworkload_name = Postgres\n').diagnostics, 'WorkloadNameNotAccepted', 'workloadName').data?.suggestion, 'postgres');
  });

  it('ignores a file Python cannot read, even with a valid name (a duplicate key, [Workload], a BOM)', () => {
    const duplicate = workload('[workload]\nworkload_name = mysql\nworkload_name = mysql\n');
    assert.equal(duplicate.prediction.decision, 'notParsed');
    assert.equal(duplicate.prediction.name, null);
    has(duplicate.diagnostics, 'AgentFileNotParsed', 'iniParse');
    const section = workload('[Workload]\nworkload_name = mysql\n');
    assert.equal(section.prediction.decision, 'noSection');
    assert.equal(has(section.diagnostics, 'UnknownSection', 'unknownSection').data?.suggestion, 'workload');
    assert.equal(workload('\uFEFF[workload]\nworkload_name = mysql\n').prediction.decision, 'notParsed');
  });

  it('flags the template keys left empty, each with what follows', () => {
    const template = workload('[workload]\nworkload_name = mysql\ncommand_path =\ncredString =\nipc_folder = /tmp/ipc\ntimeout =\nlinux_user =\nrole =\nenforceSlaveOnly =\n');
    const empty = template.diagnostics.filter((diagnostic) => diagnostic.code === 'WorkloadTemplateKeyEmpty').map((diagnostic) => [diagnostic.data?.key, diagnostic.agentCode]);
    assert.deepEqual(empty, [['command_path', undefined], ['linux_user', undefined], ['role', 502], ['enforceSlaveOnly', 500]]);
    assert.equal(template.prediction.values.command, '/');
    assert.equal(template.prediction.errors[0].code, 502);
    const custom = workload('[workload]\nworkload_name = oracle\nlinux_user = oracle\ncustomScriptEnabled =\n');
    assert.deepEqual(custom.prediction.errors, [{ code: 501, certain: true }]);
    assert.equal(custom.prediction.preSkipped, true);
    assert.equal(has(custom.diagnostics, 'WorkloadTemplateKeyEmpty', 'templateKeyEmpty', 501).data?.key, 'customScriptEnabled');
  });

  it('predicts 505, 501 (%), 502, 503, 507 and 510 from the file alone', () => {
    assert.equal(has(workload('[workload]\nworkload_name = postgres\n').diagnostics, 'FailedWorkloadAuthorizationMissing', 'authorization', 505).severity, 'error');
    const percent = workload('[workload]\nworkload_name = mysql\ncredString = -u backup -pse%cret\nipc_folder = /x\n');
    has(percent.diagnostics, 'PercentInValue', 'confParsing', 501);
    assert.equal(percent.prediction.values.ipcFolder, null, 'the keys after the failing one are never read');
    has(workload('[workload]\nworkload_name = mysql\nlinux_user = mysql\nipc_folder = /x\nrole = Master\n').diagnostics, 'FailedWorkloadInvalidRole', 'role', 502);
    has(workload('[workload]\nworkload_name = mysql\nlinux_user = mysql\nipc_folder = /x\nenforceSlaveOnly = 1\n').diagnostics, 'FailedWorkloadInvalidRole', 'enforceSlaveOnly', 502);
    has(workload('[workload]\nworkload_name = oracle\nlinux_user = oracle\nrole = slave\n').diagnostics, 'FailedWorkloadInvalidWorkloadName', 'slaveRole', 503);
    const noIpc = workload('[workload]\nworkload_name = mariadb\nlinux_user = mysql\n');
    has(noIpc.diagnostics, 'FailedWorkloadIPCDirectoryMissing', 'ipcMissing', 507);
    assert.deepEqual(noIpc.prediction.errors.map((error) => error.code), [507, 510]);
    const ipcOracle = workload('[workload]\nworkload_name = oracle\nlinux_user = oracle\nipc_folder = /tmp\n');
    has(ipcOracle.diagnostics, 'FailedWorkloadQuiescingTimeout', 'ipcNotUsed', 510);
    assert.deepEqual(ipcOracle.prediction.errors.map((error) => error.code), [510]);
  });

  it('warns about credentials in the uploaded log (MySQL), dbnames, PostgreSQL 15, custom scripts and [logbackup]', () => {
    has(workload('[workload]\nworkload_name = mysql\ncredString = -u root -psecret\nipc_folder = /x\n').diagnostics, 'WorkloadCredentialsLogged', 'credentials');
    assert.equal(workload('[workload]\nworkload_name = postgres\ncredString = -U postgres\n').diagnostics.some((d) => d.code === 'WorkloadCredentialsLogged'), false);
    const dbnames = workload('[workload]\nworkload_name = mysql\nlinux_user = mysql\nipc_folder = /x\ndbnames = shop;crm\n');
    has(dbnames.diagnostics, 'WorkloadDbnamesNothingQuiesced', 'dbnames');
    assert.deepEqual(dbnames.prediction.errors, [], 'reported application consistent');
    assert.match(describeWorkloadBehaviour(dbnames.prediction)!.pre, /nothing/i);
    has(workload('[workload]\nworkload_name = postgres\nlinux_user = postgres\n', 16).diagnostics, 'PostgresBackupFunctionsRemoved', 'postgres15');
    assert.equal(workload('[workload]\nworkload_name = postgres\nlinux_user = postgres\n', 14).diagnostics.length, 0);
    has(workload('[workload]\nworkload_name = oracle\nlinux_user = oracle\ncustomScriptEnabled = 1\n').diagnostics, 'CustomScriptsMissing', 'customScripts');
    has(workload('[workload]\nworkload_name = oracle\nlinux_user = oracle\n[logbackup]\n').diagnostics, 'LogBackupBroken', 'logbackup');
  });

  it('describes what runs and what stays behind', () => {
    const behaviour = describeWorkloadBehaviour(workload('[workload]\nworkload_name = mysql\nlinux_user = mysql\nipc_folder = /var/lib/mysql-files\ntimeout = 60\n').prediction)!;
    assert.match(behaviour.pre, /FLUSH TABLES WITH READ LOCK/);
    assert.match(behaviour.pre, /SLEEP\(60\)/);
    assert.match(behaviour.leftBehind, /read_only = ON/);
    assert.match(behaviour.result, /application consistent/);
  });

  it('keeps inline comments and quotes in values, and says so', () => {
    const result = workload('[workload]\nworkload_name = oracle\nlinux_user = oracle # the db user\ntimeout = "60"\n');
    has(result.diagnostics, 'InlineCommentKept', 'inlineComment');
    has(result.diagnostics, 'ValueQuoted', 'quoted');
    assert.equal(result.prediction.values.linuxUser, 'oracle # the db user');
  });
});

const HOST = '/vm/etc/azure/VMSnapshotPluginHost.conf';
const host = (text: string, mode?: number, uid?: number) => analyzePluginHostConf({ text, source: 'etcAzure', mode, uid }, HOST, '/etc/azure/VMSnapshotPluginHost.conf');
const SHIPPED = '[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\npluginName0: ScriptRunner\npluginPath0: /etc/azure\npluginConfigPath0: /etc/azure/VMSnapshotScriptPluginConfig.json\n';

describe('VMSnapshotPluginHost.conf', () => {
  it('reads the shipped file without findings', () => {
    const result = host(SHIPPED, 0o644, 0);
    assert.deepEqual(found(result.diagnostics), []);
    assert.equal(result.prediction.numberOfPlugins, 1);
    assert.equal(result.prediction.pluginConfigVmPath, '/etc/azure/VMSnapshotScriptPluginConfig.json');
  });

  it('says that numberOfPlugins 0, absent or a misspelled [pre_post] runs no script and reports success', () => {
    has(host(SHIPPED.replace('numberOfPlugins: 1', 'numberOfPlugins: 0')).diagnostics, 'NoPluginsRun', 'noPlugins');
    has(host(SHIPPED.replace('numberOfPlugins: 1\n', '')).diagnostics, 'NoPluginsRun', 'noPlugins');
    const misspelled = host(SHIPPED.replace('[pre_post]', '[Pre_Post]'));
    assert.equal(has(misspelled.diagnostics, 'NoPluginsRun', 'noPlugins').data?.section, 'Pre_Post');
    assert.equal(misspelled.prediction.agentCode, undefined);
  });

  it('flags plugins other than ScriptRunner, 304s, the cap and the host conf\'s own mode rule (314)', () => {
    has(host(SHIPPED.replace('pluginName0: ScriptRunner', 'pluginName0: MyPlugin')).diagnostics, 'PluginNotScriptRunner', 'plugin');
    has(host(SHIPPED.replace('numberOfPlugins: 1', 'numberOfPlugins: 2')).diagnostics, 'IncorrectPluginhostFile', 'pluginMissing', 304);
    has(host(SHIPPED.replace('1800', '30s')).diagnostics, 'IncorrectPluginhostFile', 'notInteger', 304);
    has(host(SHIPPED.replace('1800', '3600')).diagnostics, 'TimeoutCapped', 'hostCap');
    has(host(`${SHIPPED}numberOfPlugins: 1\n`).diagnostics, 'IncorrectPluginhostFile', 'iniParse', 304);
    assert.equal(host(SHIPPED, 0o644, 0).prediction.agentCode, undefined);
    has(host(SHIPPED, 0o664, 0).diagnostics, 'IncorrectPluginhostFile', 'hostConfMode', 314);
    has(host(SHIPPED, 0o600, 1000).diagnostics, 'IncorrectPluginhostFile', 'hostConfOwner', 314);
    assert.equal(host(SHIPPED, 0o604, 0).diagnostics.length, 0, '604 passes the host conf\'s rule, which the JSON\'s would not');
  });
});

const VMBACKUP = '/vm/etc/azure/vmbackup.conf';
const vmbackup = (text: string, vmPath = '/etc/azure/vmbackup.conf') => analyzeVmbackupConf({ text, vmPath }, VMBACKUP);

describe('vmbackup.conf', () => {
  it('reads what the agent reads, as it splits and compares it', () => {
    const result = vmbackup('[SnapshotThread]\ntimeout = 90\nSafeFreezeWaitInSeconds = 600\nMountsToSkip = /data, /logs\nWriteLog = true\nUploadStatusAndLog = True\n');
    assert.deepEqual(result.prediction.mountsToSkip, ['/data', ' /logs']);
    assert.equal(result.prediction.snapshotTimeoutSeconds, 90);
    assert.equal(result.prediction.safeFreezeWaitSeconds, 600);
    assert.equal(result.prediction.writeLog, false);
    assert.equal(result.prediction.uploadStatusAndLog, true);
    assert.equal(has(result.diagnostics, 'MountsToSkipNotMatched', 'spacing').data?.value, '/data,/logs');
    has(result.diagnostics, 'LoggingSwitchedOff', 'writeLog');
  });

  it('resets every key when any section has a duplicate, even [Monitor]', () => {
    const result = vmbackup('[SnapshotThread]\ntimeout = 90\nMountsToSkip = /data\n[Monitor]\nRun = False\nrun = False\n');
    assert.equal(result.prediction.source, 'defaults');
    assert.equal(result.prediction.snapshotTimeoutSeconds, 60);
    assert.deepEqual(result.prediction.mountsToSkip, []);
    has(result.diagnostics, 'AgentFileNotParsed', 'iniParse');
  });

  it('flags keys nobody reads, keys with no effect, ranges, / in MountsToSkip, the monitor and the wrong location', () => {
    const result = vmbackup('[SnapshotThread]\nfsfreeze = True\nOnAppFailureDoFsFreeze = False\ntimeout = 0\nSafeFreezeWaitInSeconds = 4\nMountsToSkip = /,/data/\nSnapshotMethod = guestOnly\nseqsnapshot = yes\n[Monitor]\nRun = True\n[snapshotthread]\n');
    has(result.diagnostics, 'KeyNotRead', 'deadKey');
    has(result.diagnostics, 'KeyHasNoEffect', 'noEffect');
    has(result.diagnostics, 'ValueOutOfRange', 'timeoutRange');
    has(result.diagnostics, 'ValueOutOfRange', 'safeFreezeRange');
    has(result.diagnostics, 'MountsToSkipNotMatched', 'root');
    has(result.diagnostics, 'MountsToSkipNotMatched', 'notMountPoint');
    has(result.diagnostics, 'InvalidValue', 'snapshotMethod');
    has(result.diagnostics, 'InvalidValue', 'notInteger');
    has(result.diagnostics, 'MonitorRunsBinary', 'monitor');
    assert.equal(has(result.diagnostics, 'UnknownSection', 'unknownSection').data?.suggestion, 'SnapshotThread');
    has(vmbackup('[SnapshotThread]\nMountsToSkip = /\n').diagnostics, 'MountsToSkipNotMatched', 'rootOnly');
    has(vmbackup('[SnapshotThread]\nMountsToSkip = /mnt/resource\n', '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9170.0/main/tempPlugin/vmbackup.conf').diagnostics, 'FileNeverRead', 'wrongLocation');
  });
});

describe('what will be frozen', () => {
  const table = [
    '/dev/sda1 / ext4 rw 0 0',
    'proc /proc proc rw 0 0',
    '/dev/sda15 /boot/efi vfat rw 0 0',
    '/dev/sdc1 /data xfs rw 0 0',
    '/dev/sdd1 /logs ext4 rw 0 0',
    '/dev/sdb1 /mnt ext4 rw 0 0',
    'server:/export /nfs nfs4 rw 0 0',
    'sshfs#me@host: /remote fuse.sshfs rw 0 0',
    '/dev/loop0 /snap/core/1 squashfs ro 0 0',
    '/dev/loop1 /images ext4 rw 0 0',
    '/dev/mapper/vg-lv /srv/my\\040dir btrfs rw 0 0',
  ].join('\n');
  const isBlockDevice = (source: string) => ({ block: source.startsWith('/dev/') });

  it('freezes block-device ext3/ext4/xfs/btrfs mounts in reverse table order, / last, and says why the others are not', () => {
    const result = predictFrozenMounts({ mountTable: table, isBlockDevice, resourceDiskMountPoint: '/mnt', mountsToSkip: ['/logs'] });
    assert.deepEqual(result.frozen.map((mount) => mount.mountPoint), ['/srv/my dir', '/data', '/']);
    assert.deepEqual(result.notFrozen.map((mount) => [mount.mountPoint, mount.reason]), [
      ['/boot/efi', 'fsType'],
      ['/logs', 'mountsToSkip'],
      ['/mnt', 'resourceDisk'],
      ['/nfs', 'network'],
      ['/remote', 'network'],
      ['/snap/core/1', 'fsType'],
      ['/images', 'loop'],
    ]);
  });

  it('never skips /, and a mount point mounted twice counts once, as last mounted', () => {
    const result = predictFrozenMounts({ mountTable: '/dev/sda1 / ext4 rw 0 0\n/dev/sdc1 /data ext4 rw 0 0\n/dev/sdd1 /data xfs rw 0 0\n', isBlockDevice, mountsToSkip: ['/'] });
    assert.deepEqual(result.frozen.map((mount) => [mount.mountPoint, mount.source]), [['/data', '/dev/sdd1'], ['/', '/dev/sda1']]);
  });
});

describe('/etc/azure as a whole', () => {
  it('takes the workload path on a valid workload_name, where the host conf is not even opened', () => {
    const view = readAgentFiles(memoryVm({ '/etc/azure/workload.conf': '[workload]\nworkload_name = postgres\nlinux_user = postgres\n', '/etc/azure/VMSnapshotPluginHost.conf': '[pre_post]\nbroken\n' }), { checkModes: false });
    assert.equal(view.path, 'workload');
    assert.match(view.pathReason, /line 2/);
    assert.equal(view.diagnostics.some((diagnostic) => diagnostic.file?.endsWith('VMSnapshotPluginHost.conf')), false);
  });

  it('follows the host conf to the script config it names', () => {
    const view = readAgentFiles(memoryVm({ '/etc/azure/VMSnapshotPluginHost.conf': SHIPPED.replace('/etc/azure/VMSnapshotScriptPluginConfig.json', '/opt/backup/config.json') }), { checkModes: false });
    assert.equal(view.path, 'script');
    assert.equal(view.scriptConfigVmPath, '/opt/backup/config.json');
  });

  it('predicts 313 when the installed extension has no host conf either, and assumes the shipped one when no extension is installed', () => {
    const missing = readAgentFiles(memoryVm({ '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9170.0/main/handle.sh': '' }), { checkModes: false });
    assert.equal(missing.hostConf.prediction.agentCode, 313);
    has(missing.diagnostics, 'IncorrectPluginhostFile', 'hostConfNotFound', 313);
    const shipped = readAgentFiles(memoryVm({ '/var/lib/waagent/waagent_status.json': '{}' }), { checkModes: false });
    assert.equal(shipped.hostConf.prediction.agentCode, undefined);
    assert.equal(shipped.hostConf.prediction.source, 'shippedAssumed');
    assert.match(shipped.hostConf.note!, /assuming the copy shipped/);
    const installed = readAgentFiles(memoryVm({ '/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9170.0/main/VMSnapshotPluginHost.conf': SHIPPED.replace('1800', '600') }), { checkModes: false });
    assert.equal(installed.hostConf.prediction.source, 'extensionFolder');
    assert.equal(installed.hostConf.prediction.timeoutCapSeconds, 600);
  });

  it('learns the PostgreSQL version from the disk, without running anything', () => {
    const view = readAgentFiles(memoryVm({ '/etc/azure/workload.conf': '[workload]\nworkload_name = postgres\nlinux_user = postgres\n', '/usr/lib/postgresql/16/bin/postgres': '' }), { checkModes: false });
    has(view.diagnostics, 'PostgresBackupFunctionsRemoved', 'postgres15');
  });
});
