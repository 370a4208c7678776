import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UiAnswer } from '../ui';
import { activateExtension, answerPrompts, closeAll, hasDriver, paletteTitle, screenshot, waitFor, workspaceRoot } from './helpers';

/** The wizard's three prompts, answered as a person would: the generic template, 30 s, a new workspace folder. */
const wizard: UiAnswer[] = [
  { when: '(1/3)', type: 'generic' },
  { when: '(2/3)', type: '30' },
  { when: '(3/3)', type: 'vmsnapshot-generic' },
];

function openTabs(): string[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs)
    .map((tab) => (tab.input instanceof vscode.TabInputText ? tab.input.uri.fsPath : ''))
    .filter(Boolean);
}

/** Runs the command while the driver answers its prompts; resolves when both are done. */
async function scaffold(answers: UiAnswer[]): Promise<void> {
  await Promise.all([answerPrompts(answers), vscode.commands.executeCommand('vmsnapshot.scaffold')]);
}

describe('scaffold command', function () {
  const target = () => path.join(workspaceRoot().fsPath, 'vmsnapshot-generic');
  const config = () => path.join(target(), 'VMSnapshotScriptPluginConfig.json');

  before(async function () {
    // Only a browser driver can answer another extension's prompts.
    if (!hasDriver()) this.skip();
    await activateExtension();
  });
  after(closeAll);

  it('is in the Command Palette as "VM Snapshot: Scaffold Pre/Post Scripts"', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('vmsnapshot.scaffold'));
    assert.equal(paletteTitle('vmsnapshot.scaffold'), 'VM Snapshot: Scaffold Pre/Post Scripts');
  });

  it('asks its questions, writes the config and scripts, opens them, and ends with a notification that names the command to run as root and opens install.sh', async () => {
    assert.equal(fs.existsSync(target()), false);
    const installScript = path.join(target(), 'install.sh');
    await scaffold(wizard);
    const installOpened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => (vscode.window.activeTextEditor?.document.uri.fsPath === installScript ? true : undefined), 'install.sh to open');
    // The smoke-test driver's workbench shows no toasts: the notification is read and answered in
    // the notification center, as a person who missed the toast would.
    const answered = answerPrompts([{ when: 'sudo sh vmsnapshot-generic/install.sh', screenshot: 'scaffold-notification', button: 'Open install.sh' }]);
    await vscode.commands.executeCommand('notifications.showList');
    await answered;
    await installOpened;
    await vscode.commands.executeCommand('notifications.hideList');

    const written = JSON.parse(fs.readFileSync(config(), 'utf8')) as { preScriptLocation: string; postScriptLocation: string; timeoutInSeconds: number };
    assert.equal(written.timeoutInSeconds, 30);
    const scripts = [written.preScriptLocation, written.postScriptLocation].map((vmPath) => path.join(target(), path.posix.basename(vmPath)));
    for (const script of scripts) assert.match(fs.readFileSync(script, 'utf8'), /^#!\/bin\/sh/, script);
    const tabs = openTabs();
    for (const file of [config(), ...scripts]) assert.ok(tabs.includes(file), `${path.basename(file)} is open in ${tabs.map((t) => path.basename(t)).join(', ')}`);

    await vscode.window.showTextDocument(vscode.Uri.file(config()));
    await screenshot('scaffold-result', '.monaco-editor .view-lines');
  });

  it('checks two applications: one config, one pre- and one post-script for both', async () => {
    const both = path.join(workspaceRoot().fsPath, 'vmsnapshot-mysql+systemd');
    await scaffold([
      { when: '(1/3)', check: ['MySQL / MariaDB', 'systemd service'] },
      { when: 'systemd units to stop', type: 'nginx.service' },
      { when: 'credentials file on the VM for MySQL', type: '/etc/azure/vmsnapshot/mysql.cnf' },
      { when: 'Time limit in seconds', type: '60' },
      { when: '(3/3)', type: 'vmsnapshot-mysql+systemd' },
    ]);
    const written = JSON.parse(fs.readFileSync(path.join(both, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptLocation: string; preScriptParams: string[] };
    assert.equal(written.preScriptLocation, '/etc/azure/vmsnapshot/vmsnapshot-pre.sh');
    assert.deepEqual(written.preScriptParams, ['lock_seconds=180', 'mysql.options_file=/etc/azure/vmsnapshot/mysql.cnf', 'systemd.service=nginx.service']);
    const pre = fs.readFileSync(path.join(both, 'vmsnapshot-pre.sh'), 'utf8');
    assert.ok(pre.indexOf('if ! quiesce_mysql; then') < pre.indexOf('if ! quiesce_systemd; then'), 'quiesced in the order checked');
    assert.ok(openTabs().includes(path.join(both, 'vmsnapshot-post.sh')));
  });

  it('does not overwrite existing files without confirmation', async () => {
    const before = fs.readFileSync(config(), 'utf8');
    const edited = before.replace('"timeoutInSeconds": 30', '"timeoutInSeconds": 45');
    assert.notEqual(edited, before);
    fs.writeFileSync(config(), edited);

    // The command asks before overwriting; extension-test mode answers every modal dialog with
    // "cancel" without showing it, which is the answer this test needs.
    await scaffold([...wizard, { when: 'the overwrite confirmation', modal: true }]);
    assert.equal(fs.readFileSync(config(), 'utf8'), edited, 'the edited config is kept');
  });
});
