import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UiAnswer } from '../ui';
import { activateExtension, answerPrompts, closeAll, hasDriver, paletteTitle, screenshot, waitFor, workspaceRoot } from './helpers';

/**
 * The titles the wizard shows, as VS Code writes them: our title and its own step counter.
 * Each answer checks the whole title just before answering, so a counter that repeats a step
 * or misses one fails the test.
 */
const application = (step: string) => `Scaffold pre/post scripts: application (${step})`;
const settings = (step: string) => `Scaffold pre/post scripts: settings (${step})`;
const where = (step: string) => `Scaffold pre/post scripts: where (${step})`;
const applicationPrompt = 'Which applications should the snapshot quiesce?';
const timePrompt = 'Time limit in seconds';

/** The generic template, typed in the filter with nothing checked, 30 s, into `folder`, which is new or existing. */
function genericWizard(folder: 'new' | 'existing'): UiAnswer[] {
  return [
    { when: applicationPrompt, type: 'generic', title: application('1/3') },
    { when: timePrompt, type: '30', title: settings('2/3') },
    folder === 'new'
      ? { when: 'new folder in the workspace', absent: 'existing folder', type: 'vmsnapshot-generic', title: where('3/3') }
      : { when: 'existing folder in the workspace', absent: 'new folder', type: 'vmsnapshot-generic', title: where('3/3'), screenshot: 'scaffold-existing-folder' },
  ];
}

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
    await scaffold(genericWizard('new'));
    const installOpened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => (vscode.window.activeTextEditor?.document.uri.fsPath === installScript ? true : undefined), 'install.sh to open');
    // The smoke-test driver's workbench shows no toasts: the notification is read and answered in
    // the notification center, as a person who missed the toast would.
    const message = `Wrote VMSnapshotScriptPluginConfig.json, generic-pre.sh, generic-post.sh, install.sh in ${target()}. Copy the folder to the VM and run as root there: sudo sh vmsnapshot-generic/install.sh`;
    const answered = answerPrompts([{ when: message, screenshot: 'scaffold-notification', button: 'Open install.sh' }]);
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
      // Checking the second application adds its question to the count before Enter.
      { when: applicationPrompt, check: ['MySQL / MariaDB', 'systemd service'], title: application('1/5'), screenshot: 'scaffold-step-counter' },
      { when: 'systemd units to stop', type: 'nginx.service', title: settings('2/5') },
      { when: 'credentials file on the VM for MySQL', type: '/etc/azure/vmsnapshot/mysql.cnf', title: settings('3/5') },
      { when: timePrompt, type: '60', title: settings('4/5') },
      { when: 'new folder in the workspace', type: 'vmsnapshot-mysql+systemd', title: where('5/5') },
    ]);
    const written = JSON.parse(fs.readFileSync(path.join(both, 'VMSnapshotScriptPluginConfig.json'), 'utf8')) as { preScriptLocation: string; preScriptParams: string[] };
    assert.equal(written.preScriptLocation, '/etc/azure/vmsnapshot/vmsnapshot-pre.sh');
    assert.deepEqual(written.preScriptParams, ['lock_seconds=180', 'mysql.options_file=/etc/azure/vmsnapshot/mysql.cnf', 'systemd.service=nginx.service']);
    const pre = fs.readFileSync(path.join(both, 'vmsnapshot-pre.sh'), 'utf8');
    assert.ok(pre.indexOf('if ! quiesce_mysql; then') < pre.indexOf('if ! quiesce_systemd; then'), 'quiesced in the order checked');
    assert.ok(openTabs().includes(path.join(both, 'vmsnapshot-post.sh')));
  });

  it('counts the credentials question for one database, calls an existing destination existing, and ends with its own notification', async () => {
    const dir = path.join(workspaceRoot().fsPath, 'vmsnapshot-postgresql');
    // A folder made for the scripts beforehand: nothing to overwrite, so nothing to confirm.
    fs.mkdirSync(dir);
    await vscode.commands.executeCommand('notifications.clearAll');
    await scaffold([
      // Typed, nothing checked: the counter follows the application that Enter will take.
      { when: applicationPrompt, type: 'PostgreSQL', title: application('1/4') },
      { when: 'credentials file on the VM for PostgreSQL', type: '/etc/azure/vmsnapshot/pg_service.conf', title: settings('2/4') },
      { when: timePrompt, type: '60', title: settings('3/4') },
      { when: 'existing folder in the workspace', absent: 'new folder', type: 'vmsnapshot-postgresql', title: where('4/4') },
    ]);
    const installScript = path.join(dir, 'install.sh');
    const installOpened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => (vscode.window.activeTextEditor?.document.uri.fsPath === installScript ? true : undefined), 'install.sh to open');
    const message = `Wrote VMSnapshotScriptPluginConfig.json, postgresql-pre.sh, postgresql-post.sh, pg_service.conf, install.sh in ${dir}. Copy the folder to the VM and run as root there: sudo sh vmsnapshot-postgresql/install.sh`;
    const answered = answerPrompts([{ when: message, button: 'Open install.sh' }]);
    await vscode.commands.executeCommand('notifications.showList');
    await answered;
    await installOpened;
    await vscode.commands.executeCommand('notifications.hideList');
    assert.deepEqual(fs.readdirSync(dir).sort(), ['VMSnapshotScriptPluginConfig.json', 'install.sh', 'pg_service.conf', 'postgresql-post.sh', 'postgresql-pre.sh']);
  });

  it('does not overwrite existing files without confirmation', async () => {
    const before = fs.readFileSync(config(), 'utf8');
    const edited = before.replace('"timeoutInSeconds": 30', '"timeoutInSeconds": 45');
    assert.notEqual(edited, before);
    fs.writeFileSync(config(), edited);

    // The command asks before overwriting; extension-test mode answers every modal dialog with
    // "cancel" without showing it, which is the answer this test needs.
    await scaffold([...genericWizard('existing'), { when: 'the overwrite confirmation', modal: true }]);
    assert.equal(fs.readFileSync(config(), 'utf8'), edited, 'the edited config is kept');
  });
});
