// The config check knows the scaffold's scripts: a quiesce bound shorter than the agent's timeline,
// and a template that needs the freeze with fsFreezeEnabled off, are warned about on the config.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeConfigFile } from '../../server/src/engine';
import { installScaffold, planScaffold } from '../../server/src/engine/scaffold';
import { removeDir, tempDir } from './scaffoldTestSupport';

function findings(app: string, edit: (config: Record<string, unknown>) => void, params = {}): string[] {
  const root = tempDir('vmsnapshot-scaffold-check-');
  try {
    installScaffold(planScaffold(app, { services: ['a.service'], ...params }), root);
    const configPath = path.join(root, 'etc/azure/VMSnapshotScriptPluginConfig.json');
    const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    edit(config);
    fs.writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
    return analyzeConfigFile(configPath, { root })
      .diagnostics.filter((diagnostic) => diagnostic.code.startsWith('Scaffold'))
      .map((diagnostic) => `${diagnostic.severity} ${diagnostic.code}: ${diagnostic.message}`);
  } finally {
    removeDir(root);
  }
}

describe('scaffold checks on the config', () => {
  it('a scaffold as written has no finding', () => {
    for (const app of ['mysql', 'postgresql', 'systemd']) assert.deepEqual(findings(app, () => undefined), [], app);
  });

  it('warns when lock_seconds is shorter than pre limit + 60 s + post limit', () => {
    const found = findings('mysql', (config) => {
      config.preScriptParams = ['lock_seconds=60', 'options_file=/etc/azure/vmsnapshot/mysql.cnf'];
    });
    assert.equal(found.length, 1);
    assert.match(found[0], /^warning ScaffoldLockTooShort: .*lock_seconds=60.* 180 s/);
  });

  it('follows the config\'s timeout: a longer timeoutInSeconds needs a longer bound', () => {
    const found = findings('systemd', (config) => {
      config.timeoutInSeconds = 300;
    });
    assert.match(found.join('\n'), /ScaffoldLockTooShort: .*lock_seconds=180.* 660 s/);
  });

  it('without a lock_seconds parameter, judges the script\'s own default', () => {
    const found = findings('mysql', (config) => {
      config.preScriptParams = ['options_file=/etc/azure/vmsnapshot/mysql.cnf'];
      config.timeoutInSeconds = 90;
    });
    assert.match(found.join('\n'), /lock_seconds=180.* 240 s/);
  });

  it('warns when fsFreezeEnabled is off for a template that needs the freeze, not for one that does not', () => {
    const off = (config: Record<string, unknown>) => {
      config.fsFreezeEnabled = false;
    };
    assert.match(findings('postgresql', off).join('\n'), /^warning ScaffoldNeedsFreeze: .*postgresql/);
    assert.match(findings('mysql', off).join('\n'), /ScaffoldNeedsFreeze/);
    assert.deepEqual(findings('systemd', off), []);
  });
});
