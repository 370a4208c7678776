import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateExtension, codeOf, configUri, extensionId, languageId, open, screenshot, waitForDiagnostics } from './helpers';

/** What Format Document makes of the minified `format` fixture with VS Code's defaults (4 spaces). */
const FORMATTED = [
  '{',
  '    "pluginName": "ScriptRunner",',
  '    "preScriptLocation": "/etc/azure/pre-script.sh",',
  '    "postScriptLocation": "/etc/azure/post-script.sh",',
  '    "preScriptParams": [',
  '        "--log",',
  '        "/var/log/backup.log"',
  '    ],',
  '    "timeoutInSeconds": 60',
  '}',
  '',
].join('\n');

/**
 * Reverts this suite's unsaved changes and closes the editors. Only the workspace's documents:
 * the workbench may hold its own settings file open with changes it is writing.
 */
async function closeEditors(): Promise<void> {
  const workspace = vscode.workspace.workspaceFolders![0].uri.toString();
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.toString().startsWith(workspace))) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

describe('what VS Code gives a JSON file, for the config', () => {
  before(async () => {
    await activateExtension();
    // The server registers these features right after start-up, for the config's language only;
    // once it has answered with diagnostics, its registrations (sent before) have arrived.
    const mistakes = configUri('mistakes');
    await open(mistakes);
    await waitForDiagnostics(mistakes, (all) => all.length > 0, 'the server to answer');
    await closeEditors();
  });
  afterEach(closeEditors);

  it('Format Document formats the config with our server, the default formatter for the language', async () => {
    const uri = configUri('format');
    const editor = await open(uri);
    assert.equal(editor.document.languageId, languageId);
    assert.equal(vscode.workspace.getConfiguration('editor', { languageId }).get('defaultFormatter'), extensionId);
    await vscode.commands.executeCommand('editor.action.formatDocument');
    assert.equal(editor.document.getText(), FORMATTED);
    assert.doesNotThrow(() => JSON.parse(editor.document.getText()));
  });

  it('a CRLF config stays CRLF, and format on save writes the formatted text to disk', async () => {
    const file = path.join(path.dirname(configUri('format').fsPath), '..', '..', '..', 'crlf', 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{\r\n"pluginName":"ScriptRunner",\r\n"preScriptLocation":"/etc/azure/pre-script.sh","postScriptLocation":"/etc/azure/post-script.sh","preScriptParams":["--log","/var/log/backup.log"],"timeoutInSeconds":60}\r\n');
    const settings = vscode.workspace.getConfiguration('editor', { languageId });
    await settings.update('formatOnSave', true, vscode.ConfigurationTarget.Workspace, true);
    try {
      const editor = await open(vscode.Uri.file(file));
      assert.equal(editor.document.eol, vscode.EndOfLine.CRLF);
      // An edit makes the document dirty; saving it runs the formatter before writing.
      assert.equal(await editor.edit((builder) => builder.insert(new vscode.Position(0, 1), ' ')), true);
      assert.equal(await editor.document.save(), true);
      assert.equal(fs.readFileSync(file, 'utf8'), FORMATTED.replace(/\n/g, '\r\n'));
    } finally {
      await settings.update('formatOnSave', undefined, vscode.ConfigurationTarget.Workspace, true);
    }
  });

  it('the Outline shows every key, and where the pre-script resolves', async () => {
    const uri = configUri('good');
    await open(uri);
    const found = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri);
    assert.deepEqual(found.map((symbol) => symbol.name), [
      'pluginName', 'preScriptLocation', 'postScriptLocation', 'preScriptParams', 'postScriptParams', 'preScriptNoOfRetries', 'postScriptNoOfRetries', 'timeoutInSeconds', 'continueBackupOnFailure', 'fsFreezeEnabled',
    ]);
    const pre = found.find((symbol) => symbol.name === 'preScriptLocation')!;
    assert.equal(pre.kind, vscode.SymbolKind.String);
    assert.equal(pre.detail, `/etc/azure/pre-script.sh → ${path.join(path.dirname(uri.fsPath), 'pre-script.sh')}`);
    // The server leaves a leaf's empty children out of its answer; VS Code reads that as none.
    assert.deepEqual(found.map((symbol) => symbol.children.length), found.map(() => 0));
    await vscode.commands.executeCommand('outline.focus');
    await screenshot('outline', '.outline-pane .monaco-list-row:has-text("preScriptLocation")');
  });

  it('a task running `vmsnapshot check` with $vmsnapshot fills the Problems panel', async () => {
    const folder = vscode.workspace.workspaceFolders![0];
    const cli = path.join(vscode.extensions.getExtension(extensionId)!.extensionPath, 'dist', 'server.js');
    // A shell task, as the README shows it; `vmsnapshot` is the extension's own CLI here. VS Code
    // reads a task's output through its terminal, and a CLI done in a blink outruns it at both
    // ends: output written before the task system listens is lost, and lines not yet read when
    // the process exits are dropped. So the command starts on a line sent once the process is up,
    // and stays a moment after printing, as a slower command would.
    const execution = new vscode.ShellExecution(`read -r _ && '${process.execPath}' '${cli}' check task; status=$?; sleep 2; exit $status`, { cwd: folder.uri.fsPath });
    const task = new vscode.Task({ type: 'shell' }, folder, 'vmsnapshot check', 'vmsnapshot', execution, '$vmsnapshot');
    const uri = configUri('task');
    const ended = new Promise<number | undefined>((resolve) => {
      const listener = vscode.tasks.onDidEndTaskProcess((event) => {
        if (event.execution.task.name !== task.name) return;
        listener.dispose();
        resolve(event.exitCode);
      });
    });
    // The only terminal this test opens is the task's (its name is not set yet then). The line
    // goes once the task's process has started, when the task system is reading its output.
    const terminal = new Promise<vscode.Terminal>((resolve) => {
      const listener = vscode.window.onDidOpenTerminal((opened) => {
        listener.dispose();
        resolve(opened);
      });
    });
    const started = vscode.tasks.onDidStartTaskProcess((event) => {
      if (event.execution.task.name !== task.name) return;
      started.dispose();
      void terminal.then((opened) => opened.sendText('go'));
    });
    // Our server publishes only for what is open or named by an open config: nothing yet, so what comes is the task's.
    assert.deepEqual(vscode.languages.getDiagnostics(uri), []);
    await vscode.tasks.executeTask(task);
    assert.equal(await ended, 1, 'the check found errors');
    const diagnostics = await waitForDiagnostics(uri, (all) => all.some((diagnostic) => codeOf(diagnostic) === 'UnknownKey'), 'the task\'s findings');
    const unknown = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'UnknownKey')!;
    assert.equal(unknown.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual([unknown.range.start.line, unknown.range.start.character], [2, 4]);
    assert.match(unknown.message, /postScriptLocaton/);
    const missing = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'IncorrectJSONConfigFile');
    assert.equal(missing?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()), false, 'the file was never opened: these come from the task');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('task-problems', '.markers-panel .monaco-list-row:has-text("postScriptLocaton")');
  });

  it('the walkthrough links to commands that exist', async () => {
    const manifest = vscode.extensions.getExtension(extensionId)!.packageJSON as { contributes: { walkthroughs: Array<{ steps: Array<{ description: string }> }> } };
    const linked = manifest.contributes.walkthroughs[0].steps.flatMap((step) => [...step.description.matchAll(/\]\(command:([\w.-]+)/g)].map((match) => match[1]));
    const known = new Set(await vscode.commands.getCommands(false));
    // Remote - SSH's own command exists only where that extension is installed; the step offers to install it.
    const missing = linked.filter((command) => !known.has(command) && command !== 'opensshremotes.openEmptyWindow');
    assert.deepEqual(missing, []);
    assert.ok(linked.length >= 5, linked.join(', '));
  });
});
