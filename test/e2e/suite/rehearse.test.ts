import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, answerPrompts, closeAll, codeOf, hasDriver, open, paletteTitle, screenshot, waitFor, waitForDiagnostics, workspaceRoot } from './helpers';
import { MachineFiles } from './machineFiles';

const AZURE = '/etc/azure';
const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';

interface Tree {
  config: string;
  pre: string;
  post: string;
  /** Written by the pre-script when it runs. */
  mark: string;
}

function scriptsConfig(): string {
  return `${JSON.stringify({ pluginName: 'ScriptRunner', preScriptLocation: `${AZURE}/pre-script.sh`, postScriptLocation: `${AZURE}/post-script.sh`, timeoutInSeconds: 2, ScriptsExecutionPollTimeSeconds: 1 }, null, 2)}\n`;
}

const preScript = (mark: string) => `#!/bin/sh\necho "quiescing"\ntouch ${mark}\nexit 0\n`;
const postScript = '#!/bin/sh\necho "cannot resume: service not found" >&2\nexit 3\n';

/**
 * The VM's own files, in the machine's real /etc/azure (the e2e machine runs as root, as the
 * agent does), with what was there saved and put back after the suite: a pre-script that succeeds
 * and leaves a mark, a post-script that fails. No host conf or workload.conf, which would change
 * the agent's path.
 */
function layOutVm(files: MachineFiles): Tree {
  const tree = { config: `${AZURE}/${CONFIG_NAME}`, pre: `${AZURE}/pre-script.sh`, post: `${AZURE}/post-script.sh`, mark: `${AZURE}/pre-ran` };
  for (const other of [`${AZURE}/VMSnapshotPluginHost.conf`, `${AZURE}/workload.conf`, tree.mark]) files.remove(other);
  files.write(tree.pre, preScript(tree.mark), 0o700);
  files.write(tree.post, postScript, 0o700);
  files.write(tree.config, scriptsConfig(), 0o600);
  return tree;
}

/** A copy of such a config in the workspace, with scripts of its own: never the agent's. */
function layOutWorkspaceCopy(): Tree {
  const azure = path.join(workspaceRoot().fsPath, 'rehearse', 'etc', 'azure');
  fs.mkdirSync(azure, { recursive: true });
  const tree = { config: path.join(azure, CONFIG_NAME), pre: path.join(azure, 'pre-script.sh'), post: path.join(azure, 'post-script.sh'), mark: path.join(azure, 'copy-pre-ran') };
  fs.writeFileSync(tree.pre, preScript(tree.mark), { mode: 0o700 });
  fs.writeFileSync(tree.post, postScript, { mode: 0o700 });
  fs.writeFileSync(tree.config, scriptsConfig(), { mode: 0o600 });
  return tree;
}

/** The part of the extension's API (client/src/extension.ts) this suite uses. */
interface VmSnapshotApi {
  configIsVmOwn(): Promise<boolean>;
}

/** The part of the report (README, "Rehearse") that the command returns and this suite reads. */
interface RehearsalReport {
  agent: { code: number };
  consistency: string;
  pre: { result: string };
  post: { result: string; exitCode: number | null };
}

const TITLE = 'VM Snapshot: Rehearse the Backup on This Machine';
const runBoth = { when: 'Rehearse the backup on this machine', type: 'Run the pre-script and the post-script' };

/**
 * Opens the Command Palette, types the commands' category and waits until it lists this
 * extension's other commands with this one (listed) or without it. The other two always show: the
 * list is filtered by then. (With nothing matching, the palette suggests similar commands
 * rather than say so: a search for the title alone proves nothing.)
 */
async function searchPalette(listed: boolean, shot: string): Promise<void> {
  const row = (text: string) => `:has(.monaco-list-row:has-text("${text}"))`;
  const others = `.quick-input-widget .quick-input-list${row('VM Snapshot: Explain the last backup')}${row('VM Snapshot: Scaffold Pre/Post Scripts')}`;
  const answered = answerPrompts([
    { when: 'the Command Palette is open', waitFor: '.quick-input-widget .quick-input-box input' },
    { when: 'the commands listed', typeText: 'VM Snapshot: ', waitFor: listed ? `${others}${row(TITLE)}` : `${others}:not(${row('Rehearse the Backup on This Machine')})`, screenshot: shot },
    { when: 'the palette closed', keys: ['Escape'] },
  ]);
  await vscode.commands.executeCommand('workbench.action.showCommands');
  await answered;
}

describe('rehearse command', function () {
  let vm: Tree;
  let copy: Tree;
  let api: VmSnapshotApi;
  const machine = hasDriver() && process.getuid?.() === 0 ? new MachineFiles() : undefined;

  before(async function () {
    // The quick pick is answered by the browser driver; the agent's checks, and /etc/azure, need root.
    if (!machine) this.skip();
    api = (await activateExtension()).exports as VmSnapshotApi;
    vm = layOutVm(machine);
    copy = layOutWorkspaceCopy();
  });
  after(async () => {
    await closeAll();
    machine?.restore();
  });

  it('is in the Command Palette as "VM Snapshot: Rehearse the Backup on This Machine"', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('vmsnapshot.rehearse'));
    assert.equal(paletteTitle('vmsnapshot.rehearse'), TITLE);
  });

  it('a workspace copy of the config: not offered, and refused when run anyway (nothing runs)', async () => {
    await open(vscode.Uri.file(copy.config));
    assert.equal(await api.configIsVmOwn(), false);
    await searchPalette(false, 'rehearse-hidden-for-copy');

    // Run anyway (a keybinding, another extension): refused with the reason, and a way to the VM's own.
    const running = vscode.commands.executeCommand<RehearsalReport | undefined>('vmsnapshot.rehearse');
    const vmConfigOpened = waitFor(vscode.window.onDidChangeActiveTextEditor, () => (vscode.window.activeTextEditor?.document.uri.fsPath === vm.config ? true : undefined), 'the VM\'s config to open');
    const answered = answerPrompts([{ when: `is not the config the backup agent on this machine reads (${vm.config})`, screenshot: 'rehearse-refused-copy', button: 'Open the VM\'s config' }]);
    await vscode.commands.executeCommand('notifications.showList');
    await answered;
    assert.equal(await running, undefined);
    await vmConfigOpened;
    await vscode.commands.executeCommand('notifications.hideList');
    assert.equal(fs.existsSync(copy.mark), false, 'the copy\'s pre-script did not run');
    assert.equal(fs.existsSync(vm.mark), false, 'nor the VM\'s');
    assert.equal(vscode.window.terminals.some((terminal) => terminal.name === 'Backup rehearsal'), false, 'no terminal was started');
  });

  it('the VM\'s own config (/etc/azure): offered in the Command Palette', async () => {
    await open(vscode.Uri.file(vm.config));
    assert.equal(await api.configIsVmOwn(), true);
    await searchPalette(true, 'rehearse-shown-for-vm');
  });

  it('runs nothing when the confirmation is dismissed', async () => {
    await open(vscode.Uri.file(vm.config));
    const [, report] = await Promise.all([answerPrompts([{ when: 'Rehearse the backup on this machine', escape: true }]), vscode.commands.executeCommand<RehearsalReport | undefined>('vmsnapshot.rehearse')]);
    assert.equal(report, undefined);
    assert.equal(fs.existsSync(vm.mark), false, 'the pre-script did not run');
  });

  it('after the quick pick, runs the VM\'s scripts in a terminal, shows the timeline and a diagnostic on the failing post-script', async () => {
    await open(vscode.Uri.file(vm.config));
    const [, report] = await Promise.all([answerPrompts([runBoth]), vscode.commands.executeCommand<RehearsalReport | undefined>('vmsnapshot.rehearse')]);
    assert.ok(report, 'the command returns the report');
    assert.ok(fs.existsSync(vm.mark), 'the pre-script ran');
    assert.equal(fs.existsSync(copy.mark), false, 'the copy\'s did not');
    assert.deepEqual([report.agent.code, report.consistency, report.pre.result, report.post.result, report.post.exitCode], [301, 'file-system', 'success', 'failed', 3]);
    assert.ok(vscode.window.terminals.some((terminal) => terminal.name === 'Backup rehearsal'), 'the scripts ran in a terminal the user sees');

    const diagnostics = await waitForDiagnostics(vscode.Uri.file(vm.post), (found) => found.some((d) => d.source === 'vmsnapshot rehearse'), 'the rehearsal diagnostic on the post-script');
    const diagnostic = diagnostics.find((d) => d.source === 'vmsnapshot rehearse')!;
    assert.equal(codeOf(diagnostic), 'Post-ScriptExecutionFailed');
    assert.match(diagnostic.message, /exited 3 .* 301 Post-ScriptExecutionFailed/);
    assert.match(diagnostic.message, /cannot resume: service not found/);
    assert.equal(vscode.languages.getDiagnostics(vscode.Uri.file(vm.pre)).filter((d) => d.source === 'vmsnapshot rehearse').length, 0, 'no rehearsal diagnostic on the pre-script, which succeeded');

    const reportTab = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.label === 'Backup rehearsal');
    await waitFor(vscode.window.tabGroups.onDidChangeTabs, reportTab, 'the report\'s tab');
    await screenshot('rehearse-report', '.webview.ready');
  });
});
