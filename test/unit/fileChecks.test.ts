import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine/oneShot';
import { runningAsRoot, VmRoot } from '../helpers/vmRoot';

const CONFIG = '/etc/azure/VMSnapshotScriptPluginConfig.json';
const ownerSkip = runningAsRoot ? false : 'owners can only be changed by root';

describe('file checks in the agent\'s order, on a VM root with real modes', () => {
  let vm: VmRoot;
  beforeEach(() => {
    vm = new VmRoot();
  });
  afterEach(() => vm.remove());

  const check = (options: { fileChecks?: 'auto' | 'on' | 'off' } = {}) => analyzeConfigFile(vm.local(CONFIG), { root: vm.dir, ...options });

  it('predicts success for the layout the agent accepts', () => {
    vm.writeValidSetup();
    const result = check();
    assert.equal(result.outcome.code, 0);
    assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error'), []);
  });

  it('316 when the config does not exist, silent in the portal', () => {
    const result = check();
    assert.equal(result.outcome.code, 316);
    assert.equal(result.outcome.silent, true);
    assert.equal(result.diagnostics[0].code, 'PluginConfigNotFound');
  });

  for (const mode of [0o600, 0o400, 0o200, 0o000, 0o4600]) {
    it(`accepts config mode ${mode.toString(8)}`, () => {
      vm.writeValidSetup();
      fs.chmodSync(vm.local(CONFIG), mode);
      assert.equal(check().outcome.code, 0);
    });
  }
  for (const mode of [0o644, 0o640, 0o700]) {
    it(`refuses config mode ${mode.toString(8)} with 317`, () => {
      vm.writeValidSetup();
      fs.chmodSync(vm.local(CONFIG), mode);
      const result = check();
      assert.equal(result.outcome.code, 317);
      assert.equal(result.outcome.name, 'FailedPrepostPluginConfigPermissionError');
      assert.equal(result.effective, null, 'the agent never reads a config it refuses');
    });
  }

  it('317 for a config owned by someone else', { skip: ownerSkip }, () => {
    vm.writeValidSetup();
    fs.chownSync(vm.local(CONFIG), 65534, 65534);
    assert.equal(check().outcome.code, 317);
  });

  it('302 when the pre-script is missing, saying where it looked', () => {
    vm.writeValidSetup();
    fs.rmSync(vm.local('/etc/azure/pre.sh'));
    const result = check();
    assert.equal(result.outcome.code, 302);
    const diagnostic = result.diagnostics.find((d) => d.code === 'Pre-ScriptNotFound');
    assert.ok(diagnostic?.message.includes(vm.local('/etc/azure/pre.sh')));
  });

  it('302 for a directory or a dangling link in place of the pre-script; a link to a good file passes', () => {
    vm.writeValidSetup();
    fs.rmSync(vm.local('/etc/azure/pre.sh'));
    vm.mkdir('/etc/azure/pre.sh');
    assert.equal(check().outcome.code, 302);
    fs.rmdirSync(vm.local('/etc/azure/pre.sh'));
    vm.symlink('/etc/azure/pre.sh', vm.local('/etc/azure/nowhere.sh'));
    const dangling = check();
    assert.equal(dangling.outcome.code, 302);
    assert.match(dangling.diagnostics.find((d) => d.code === 'Pre-ScriptNotFound')?.message ?? '', /dangling/);
    fs.rmSync(vm.local('/etc/azure/pre.sh'));
    vm.write('/opt/app/real-pre.sh', { content: 'exit 0\n', mode: 0o700 });
    vm.symlink('/etc/azure/pre.sh', vm.local('/opt/app/real-pre.sh'));
    assert.equal(check().outcome.code, 0, 'only the target is judged');
  });

  for (const mode of [0o700, 0o600, 0o500, 0o100, 0o000]) {
    it(`accepts pre-script mode ${mode.toString(8)} (owner bits are not checked)`, () => {
      vm.writeValidSetup();
      fs.chmodSync(vm.local('/etc/azure/pre.sh'), mode);
      assert.equal(check().outcome.code, 0);
    });
  }
  for (const mode of [0o750, 0o755, 0o744, 0o777]) {
    it(`refuses pre-script mode ${mode.toString(8)} with 306`, () => {
      vm.writeValidSetup();
      fs.chmodSync(vm.local('/etc/azure/pre.sh'), mode);
      const result = check();
      assert.equal(result.outcome.code, 306);
      assert.equal(result.diagnostics.find((d) => d.agentCode === 306)?.code, 'InsufficientPermissionforPre-Script');
    });
  }

  it('306 for a pre-script not owned by root, 307 for the post-script', { skip: ownerSkip }, () => {
    vm.writeValidSetup();
    fs.chownSync(vm.local('/etc/azure/pre.sh'), 65534, 65534);
    assert.equal(check().outcome.code, 306);
    fs.chownSync(vm.local('/etc/azure/pre.sh'), 0, 0);
    fs.chownSync(vm.local('/etc/azure/post.sh'), 65534, 65534);
    assert.equal(check().outcome.code, 307);
  });

  it('the pre-script\'s failure wins over the post-script\'s, and both are shown', () => {
    vm.writeValidSetup();
    fs.chmodSync(vm.local('/etc/azure/pre.sh'), 0o755);
    fs.rmSync(vm.local('/etc/azure/post.sh'));
    const result = check();
    assert.equal(result.outcome.code, 306);
    assert.ok(result.diagnostics.some((d) => d.code === 'Post-ScriptNotFound'));
    fs.chmodSync(vm.local('/etc/azure/pre.sh'), 0o700);
    assert.equal(check().outcome.code, 303);
    vm.write('/etc/azure/post.sh', { content: 'exit 0\n', mode: 0o777 });
    assert.equal(check().outcome.code, 307);
  });

  it('a config that does not load (305) is reported before the scripts', () => {
    vm.writeValidSetup();
    fs.rmSync(vm.local('/etc/azure/pre.sh'));
    vm.write(CONFIG, { content: '{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh",}' });
    assert.equal(check().outcome.code, 305);
  });

  it('305 for a config that is not UTF-8', () => {
    vm.writeValidSetup();
    vm.write(CONFIG, { content: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    const result = check();
    assert.equal(result.outcome.code, 305);
    assert.equal(result.diagnostics[0].data?.rule, 'encoding');
  });

  it('does not judge modes in a workspace copy, where git keeps none, unless asked', () => {
    vm.writeValidSetup();
    fs.chmodSync(vm.local('/etc/azure/pre.sh'), 0o644);
    fs.chmodSync(vm.local(CONFIG), 0o644);
    const workspace = analyzeConfigFile(vm.local(CONFIG));
    assert.equal(workspace.pathContext.kind, 'workspace');
    assert.equal(workspace.outcome.code, 0);
    fs.rmSync(vm.local('/etc/azure/post.sh'));
    assert.equal(analyzeConfigFile(vm.local(CONFIG)).outcome.code, 303, 'existence is still checked');
    assert.equal(analyzeConfigFile(vm.local(CONFIG), { fileChecks: 'on' }).outcome.code, 317);
    assert.equal(analyzeConfigFile(vm.local(CONFIG), { fileChecks: 'off' }).outcome.code, 0);
  });
});

describe('the plugin host conf and workload.conf', () => {
  let vm: VmRoot;
  beforeEach(() => {
    vm = new VmRoot();
    vm.writeValidSetup({ timeoutInSeconds: 900 });
  });
  afterEach(() => vm.remove());
  const HOST = '/etc/azure/VMSnapshotPluginHost.conf';
  const check = () => analyzeConfigFile(vm.local(CONFIG), { root: vm.dir });
  const hostConf = (timeout: string) => `[pre_post]\ntimeoutInSeconds: ${timeout}\nnumberOfPlugins: 1\npluginName0: ScriptRunner\npluginPath0: /etc/azure\npluginConfigPath0: ${CONFIG}\n`;

  it('lowers the cap to its own timeout', () => {
    vm.write(HOST, { content: hostConf('600'), mode: 0o644 });
    const result = check();
    assert.equal(result.outcome.code, 0);
    assert.equal(result.effective?.timeoutInSeconds, 600);
    assert.ok(result.diagnostics.some((d) => d.code === 'TimeoutCapped'));
  });

  it('314 for mode 664; 644 and 600 pass', () => {
    vm.write(HOST, { content: hostConf('1800'), mode: 0o664 });
    assert.equal(check().outcome.code, 314);
    fs.chmodSync(vm.local(HOST), 0o600);
    assert.equal(check().outcome.code, 0);
  });

  it('304 when it does not parse', () => {
    vm.write(HOST, { content: 'timeoutInSeconds: 100\n', mode: 0o644 });
    const result = check();
    assert.equal(result.outcome.code, 304);
    assert.equal(result.diagnostics[0].file, vm.local(HOST));
    vm.write(HOST, { content: hostConf('soon'), mode: 0o644 });
    assert.equal(check().outcome.code, 304);
  });

  it('warns when the host conf sends the agent to another config', () => {
    vm.write(HOST, { content: hostConf('1800').replace(CONFIG, '/opt/other.json'), mode: 0o644 });
    assert.ok(check().diagnostics.some((d) => d.data?.rule === 'otherConfigPath'));
  });

  it('warns that a database workload.conf replaces the scripts', () => {
    vm.write('/etc/azure/workload.conf', { content: '[workload]\nworkload_name = mysql\n', mode: 0o644 });
    assert.ok(check().diagnostics.some((d) => d.data?.rule === 'workloadConf'));
  });
});
