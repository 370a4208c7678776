import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine/oneShot';
import { VmRoot } from '../helpers/vmRoot';

const CONFIG = '/etc/azure/VMSnapshotScriptPluginConfig.json';

describe('files a script reads with `. file` run in the same dash', () => {
  let vm: VmRoot;
  beforeEach(() => {
    vm = new VmRoot();
    vm.writeValidSetup();
  });
  afterEach(() => vm.remove());
  const check = () => analyzeConfigFile(vm.local(CONFIG), { root: vm.dir });

  it('are checked with the script, findings on their own file, and the config says so', () => {
    vm.write('/etc/azure/pre.sh', { content: 'exec >>/var/log/pre.log 2>&1\n. /opt/lib/common.sh\nexit 0\n', mode: 0o700 });
    vm.write('/opt/lib/common.sh', { content: 'ready() {\n  [[ -f /etc/hosts ]]\n}\n', mode: 0o600 });
    const result = check();
    const library = vm.local('/opt/lib/common.sh');
    const notPosix = result.diagnostics.find((diagnostic) => diagnostic.code === 'ScriptNotPosix');
    assert.equal(notPosix?.file, library);
    assert.equal(notPosix?.range.start.line, 1);
    assert.deepEqual(result.sourcedScripts, [library]);
    const summary = result.diagnostics.find((diagnostic) => diagnostic.code === 'Pre-ScriptExecutionFailed');
    assert.ok(summary?.message.includes(library), summary?.message);
  });

  it('a missing sourced file is an error on the line that reads it; a relative one a warning', () => {
    vm.write('/etc/azure/pre.sh', { content: 'exec >>/var/log/pre.log 2>&1\n. /opt/lib/missing.sh\n. ./local.sh\nexit 0\n', mode: 0o700 });
    const found = check().diagnostics.filter((diagnostic) => diagnostic.code === 'SourcedFileNotFound');
    assert.deepEqual(found.map((diagnostic) => [diagnostic.severity, diagnostic.range.start.line, diagnostic.file]), [
      ['error', 1, vm.local('/etc/azure/pre.sh')],
      ['warning', 2, vm.local('/etc/azure/pre.sh')],
    ]);
  });

  it('a helper started with bash is a bash script and is not followed; a sourcing loop ends', () => {
    vm.write('/etc/azure/pre.sh', { content: 'exec >>/var/log/pre.log 2>&1\nbash /opt/helper.sh\n. /opt/a.sh\nexit 0\n', mode: 0o700 });
    vm.write('/opt/helper.sh', { content: 'names=(a b)\necho "${names[@]}"\n', mode: 0o700 });
    vm.write('/opt/a.sh', { content: '. /opt/b.sh\n', mode: 0o600 });
    vm.write('/opt/b.sh', { content: '. /opt/a.sh\n', mode: 0o600 });
    const result = check();
    assert.equal(result.diagnostics.filter((diagnostic) => diagnostic.file === vm.local('/opt/helper.sh')).length, 0);
    assert.deepEqual(result.sourcedScripts.sort(), [vm.local('/opt/a.sh'), vm.local('/opt/b.sh')]);
  });
});
