/**
 * workload.conf, VMSnapshotPluginHost.conf and vmbackup.conf through the bundled server over
 * stdio, laid out as `<tmp>/etc/azure/…` so that `<tmp>` stands for the VM's `/`: one test per
 * diagnostic code of these files, plus completion, hover, lenses and the status notification.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { CompletionItem, Diagnostic, MarkupContent } from 'vscode-languageserver-protocol/node';
import { VmRoot } from '../helpers/vmRoot';
import { LspClient } from './lspClient';

let vm: VmRoot;
let client: LspClient;
const uriOf = (name: string) => vm.uri(`/etc/azure/${name}`);

before(async () => {
  vm = new VmRoot();
  vm.mkdir('/etc/azure');
  client = await LspClient.start({ pullDiagnostics: true });
});

after(async () => {
  await client.shutdown();
  vm.remove();
});

const LANGUAGE: Record<string, string> = { 'workload.conf': 'vmsnapshot-workload', 'VMSnapshotPluginHost.conf': 'vmsnapshot-pluginhost', 'vmbackup.conf': 'vmsnapshot-vmbackup' };
let version = 0;

/** Opens (or re-opens) the file with this text and pulls its diagnostics. */
async function diagnosticsOf(name: string, text: string): Promise<Diagnostic[]> {
  const uri = uriOf(name);
  if (version > 0) await client.close(uri);
  version++;
  await client.open(uri, text, LANGUAGE[name]);
  return client.pullDiagnostics(uri);
}

const CASES: Array<[string, string, string, string]> = [
  ['AgentFileNotParsed', 'workload.conf', '[workload]\nworkload_name = mysql\nworkload_name = mysql\n', 'iniParse'],
  ['UnknownSection', 'workload.conf', '[Workload]\nworkload_name = mysql\n', 'unknownSection'],
  ['KeyNotRead', 'vmbackup.conf', '[SnapshotThread]\nfsfreeze = True\n', 'deadKey'],
  ['ValueQuoted', 'vmbackup.conf', '[SnapshotThread]\ntimeout = "60"\n', 'quoted'],
  ['InlineCommentKept', 'vmbackup.conf', '[SnapshotThread]\ntimeout = 60 # seconds\n', 'inlineComment'],
  ['PercentInValue', 'workload.conf', '[workload]\nworkload_name = mysql\ncredString = -pse%cret\n', 'confParsing'],
  ['WorkloadNameNotAccepted', 'workload.conf', '[workload]\nworkload_name = "mysql"\n', 'workloadName'],
  ['WorkloadTemplateKeyEmpty', 'workload.conf', '[workload]\nworkload_name = oracle\nlinux_user = oracle\ncommand_path =\n', 'templateKeyEmpty'],
  ['WorkloadCredentialsLogged', 'workload.conf', '[workload]\nworkload_name = mysql\nipc_folder = /x\ncredString = -u root -psecret\n', 'credentials'],
  ['WorkloadDbnamesNothingQuiesced', 'workload.conf', '[workload]\nworkload_name = mysql\nlinux_user = root\nipc_folder = /x\ndbnames = shop\n', 'dbnames'],
  ['CustomScriptsMissing', 'workload.conf', '[workload]\nworkload_name = oracle\nlinux_user = oracle\ncustomScriptEnabled = 1\n', 'customScripts'],
  ['LogBackupBroken', 'workload.conf', '[workload]\nworkload_name = oracle\nlinux_user = oracle\n[logbackup]\n', 'logbackup'],
  ['FailedWorkloadConfParsingError', 'workload.conf', '[workload]\nworkload_name = oracle\nlinux_user = oracle\ncustomScriptEnabled = yes\n', 'confParsing'],
  ['FailedWorkloadInvalidRole', 'workload.conf', '[workload]\nworkload_name = mysql\nlinux_user = root\nipc_folder = /x\nrole = Master\n', 'role'],
  ['FailedWorkloadInvalidWorkloadName', 'workload.conf', '[workload]\nworkload_name = postgres\nlinux_user = postgres\nrole = slave\n', 'slaveRole'],
  ['FailedWorkloadAuthorizationMissing', 'workload.conf', '[workload]\nworkload_name = postgres\n', 'authorization'],
  ['FailedWorkloadIPCDirectoryMissing', 'workload.conf', '[workload]\nworkload_name = mysql\nlinux_user = root\n', 'ipcMissing'],
  ['FailedWorkloadQuiescingTimeout', 'workload.conf', '[workload]\nworkload_name = oracle\nlinux_user = oracle\nipc_folder = /tmp\n', 'ipcNotUsed'],
  ['NoPluginsRun', 'VMSnapshotPluginHost.conf', '[pre_post]\nnumberOfPlugins: 0\n', 'noPlugins'],
  ['PluginNotScriptRunner', 'VMSnapshotPluginHost.conf', '[pre_post]\nnumberOfPlugins: 1\npluginName0: Evil\npluginPath0: /tmp\npluginConfigPath0: /etc/azure/VMSnapshotScriptPluginConfig.json\n', 'plugin'],
  ['IncorrectPluginhostFile', 'VMSnapshotPluginHost.conf', '[pre_post]\ntimeoutInSeconds: 30s\nnumberOfPlugins: 1\n', 'notInteger'],
  ['TimeoutCapped', 'VMSnapshotPluginHost.conf', '[pre_post]\ntimeoutInSeconds: 3600\nnumberOfPlugins: 0\n', 'hostCap'],
  ['KeyHasNoEffect', 'vmbackup.conf', '[SnapshotThread]\nOnAppSuccessDoFsFreeze = False\n', 'noEffect'],
  ['LoggingSwitchedOff', 'vmbackup.conf', '[SnapshotThread]\nWriteLog = true\n', 'writeLog'],
  ['MountsToSkipNotMatched', 'vmbackup.conf', '[SnapshotThread]\nMountsToSkip = /data, /logs\n', 'spacing'],
  ['ValueOutOfRange', 'vmbackup.conf', '[SnapshotThread]\nSafeFreezeWaitInSeconds = 2\n', 'safeFreezeRange'],
  ['InvalidValue', 'vmbackup.conf', '[SnapshotThread]\nSnapshotMethod = guestOnly\n', 'snapshotMethod'],
  ['MonitorRunsBinary', 'vmbackup.conf', '[Monitor]\nRun = True\n', 'monitor'],
];

describe('the agent\'s INI files over LSP', () => {
  for (const [code, name, text, rule] of CASES) {
    test(`${name}: ${code} (${rule}), with its README link`, async () => {
      const found = await diagnosticsOf(name, text);
      const diagnostic = found.find((candidate) => candidate.code === code && (candidate.data as { rule?: string }).rule === rule);
      assert.ok(diagnostic, `expected ${code}/${rule}, got ${JSON.stringify(found.map((d) => [d.code, (d.data as { rule?: string }).rule]))}`);
      assert.equal(diagnostic.source, 'vmsnapshot');
      assert.match(diagnostic.codeDescription!.href, new RegExp(`README\\.md#${code.toLowerCase().replace(/[^a-z0-9-]/g, '')}$`));
    });
  }

  test('a vmbackup.conf in the extension folder: FileNeverRead', async () => {
    const uri = vm.uri('/var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9170.0/main/tempPlugin/vmbackup.conf');
    await client.open(uri, '[SnapshotThread]\nfsfreeze: True\nMountsToSkip = /mnt/resource\n', 'vmsnapshot-vmbackup');
    const found = await client.pullDiagnostics(uri);
    assert.ok(found.some((diagnostic) => diagnostic.code === 'FileNeverRead'), JSON.stringify(found));
  });

  test('a clean file has no diagnostics', async () => {
    assert.deepEqual(await diagnosticsOf('vmbackup.conf', '[SnapshotThread]\ntimeout = 60\nMountsToSkip = /data\n'), []);
  });

  test('completion offers sections, the keys of the section and the exact values, on broken text too', async () => {
    const uri = uriOf('workload.conf');
    await client.close(uri);
    await client.open(uri, '[workload]\nworkload_name = mysql\nworkload_name = mysql\n\n[\n', 'vmsnapshot-workload');
    const labels = (items: CompletionItem[] | null) => (items ?? []).map((item) => item.label);
    assert.deepEqual(labels(await client.completion(uri, { line: 4, character: 1 })), ['[workload]', '[logbackup]']);
    const keys = labels(await client.completion(uri, { line: 3, character: 0 }));
    assert.ok(keys.includes('linux_user') && keys.includes('ipc_folder') && !keys.includes('workload_name'), JSON.stringify(keys));
    assert.deepEqual(labels(await client.completion(uri, { line: 1, character: 16 })), ['mysql', 'mariadb', 'postgres', 'oracle']);
  });

  test('hover says what the agent does, the default and the value it reads', async () => {
    const uri = uriOf('vmbackup.conf');
    await client.close(uri);
    await client.open(uri, '[SnapshotThread]\nMountsToSkip = /data, /logs\nSafeFreezeWaitInSeconds = 600\n', 'vmsnapshot-vmbackup');
    const hover = await client.hover(uri, { line: 1, character: 3 });
    const text = (hover!.contents as MarkupContent).value;
    assert.match(text, /no trimming/);
    assert.match(text, /\["\/data"," \/logs"\]/);
    const wait = (await client.hover(uri, { line: 2, character: 3 }))!.contents as MarkupContent;
    assert.match(wait.value, /`66`/);
    assert.match(wait.value, /"600"/);
  });

  test('the lens and the status item say which path the agent takes, with the deciding line', async () => {
    const uri = uriOf('workload.conf');
    await client.close(uri);
    const since = client.mark();
    await client.open(uri, '# database\n[workload]\nworkload_name = postgres\nlinux_user = postgres\n', 'vmsnapshot-workload');
    await client.pullDiagnostics(uri);
    const outcome = await client.waitForOutcome(uri, () => true, since);
    assert.match(outcome.text, /workload path/);
    assert.match(outcome.text, /line 3/);
    const lenses = await client.codeLens(uri);
    assert.match(lenses[0].command!.title, /workload path.*line 3/);
    assert.ok(lenses.some((lens) => /application consistent/.test(lens.command!.title)));
    // The other files are read from disk, as the agent reads them.
    vm.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = postgres\nlinux_user = postgres\n', mode: 0o644 });
    const hostUri = uriOf('VMSnapshotPluginHost.conf');
    await client.close(hostUri);
    await client.open(hostUri, '[pre_post]\nnumberOfPlugins: 0\n', 'vmsnapshot-pluginhost');
    const hostLenses = await client.codeLens(hostUri);
    assert.ok(hostLenses.some((lens) => /Not used by the agent: workload.conf/.test(lens.command!.title)), JSON.stringify(hostLenses));
    fs.rmSync(vm.local('/etc/azure/workload.conf'));
  });
});
