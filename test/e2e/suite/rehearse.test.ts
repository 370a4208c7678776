import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, answerPrompts, closeAll, codeOf, hasDriver, open, paletteTitle, screenshot, waitFor, waitForDiagnostics, workspaceRoot } from './helpers';

/**
 * A VM tree written by the test with the modes and owner the agent demands (git keeps neither):
 * a pre-script that succeeds and leaves a mark, a post-script that fails.
 */
function layOutVm(): { config: string; pre: string; post: string; mark: string } {
  const azure = path.join(workspaceRoot().fsPath, 'rehearse', 'etc', 'azure');
  fs.mkdirSync(azure, { recursive: true });
  const mark = path.join(azure, 'pre-ran');
  const pre = path.join(azure, 'pre-script.sh');
  const post = path.join(azure, 'post-script.sh');
  fs.writeFileSync(pre, `#!/bin/sh\necho "quiescing"\ntouch ${mark}\nexit 0\n`, { mode: 0o700 });
  fs.writeFileSync(post, '#!/bin/sh\necho "cannot resume: service not found" >&2\nexit 3\n', { mode: 0o700 });
  const config = path.join(azure, 'VMSnapshotScriptPluginConfig.json');
  const text = JSON.stringify({ pluginName: 'ScriptRunner', preScriptLocation: '/etc/azure/pre-script.sh', postScriptLocation: '/etc/azure/post-script.sh', timeoutInSeconds: 2, ScriptsExecutionPollTimeSeconds: 1 }, null, 2);
  fs.writeFileSync(config, `${text}\n`, { mode: 0o600 });
  for (const file of [pre, post]) fs.chmodSync(file, 0o700);
  fs.chmodSync(config, 0o600);
  return { config, pre, post, mark };
}

/** The part of the report (README, "Rehearse") that the command returns and this suite reads. */
interface RehearsalReport {
  agent: { code: number };
  consistency: string;
  pre: { result: string };
  post: { result: string; exitCode: number | null };
}

const runBoth = { when: 'Rehearse the backup on this machine', type: 'Run the pre-script and the post-script' };

describe('rehearse command', function () {
  let vm: ReturnType<typeof layOutVm>;

  before(async function () {
    // The quick pick is answered by the browser driver; the agent's checks need root.
    if (!hasDriver() || process.getuid?.() !== 0) this.skip();
    await activateExtension();
    vm = layOutVm();
  });
  after(closeAll);

  it('is in the Command Palette as "VM Snapshot: Rehearse the Backup on This Machine"', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('vmsnapshot.rehearse'));
    assert.equal(paletteTitle('vmsnapshot.rehearse'), 'VM Snapshot: Rehearse the Backup on This Machine');
  });

  it('runs nothing when the confirmation is dismissed', async () => {
    await open(vscode.Uri.file(vm.config));
    const [, report] = await Promise.all([answerPrompts([{ when: 'Rehearse the backup on this machine', escape: true }]), vscode.commands.executeCommand<RehearsalReport | undefined>('vmsnapshot.rehearse')]);
    assert.equal(report, undefined);
    assert.equal(fs.existsSync(vm.mark), false, 'the pre-script did not run');
  });

  it('after the quick pick, runs the scripts in a terminal, shows the timeline and a diagnostic on the failing post-script', async () => {
    await open(vscode.Uri.file(vm.config));
    const [, report] = await Promise.all([answerPrompts([runBoth]), vscode.commands.executeCommand<RehearsalReport | undefined>('vmsnapshot.rehearse')]);
    assert.ok(report, 'the command returns the report');
    assert.ok(fs.existsSync(vm.mark), 'the pre-script ran');
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
