import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { PhaseReport, RehearsalReport } from '../../server/src/engine/rehearse/report';
import { rehearsalHtml } from './rehearsalView';
import { askVmOwnConfig } from './vmOwnConfig';

const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';

interface Prediction {
  preScriptArgv: string[] | null;
  postScriptArgv: string[] | null;
  timeoutLimitSeconds: number | null;
}

interface RunPick extends vscode.QuickPickItem {
  skipPost: boolean;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The config to rehearse: the one in the editor, which must be the config the agent on this
 * machine reads; with no config in the editor, that config itself. Anything else is refused with
 * the reason: a workspace copy names scripts that are not the ones the agent runs.
 */
async function findConfig(client: LanguageClient | undefined): Promise<string | undefined> {
  const document = vscode.window.activeTextEditor?.document;
  const inEditor = document && (document.languageId === 'vmsnapshot-config' || path.basename(document.uri.path) === CONFIG_NAME) ? document.uri : undefined;
  const answer = await askVmOwnConfig(client, inEditor);
  if (!answer) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The VM Snapshot language server is not running, so which config the agent reads is not known: nothing was run.'));
    return undefined;
  }
  if (inEditor && !answer.vmOwn) {
    const open = vscode.l10n.t('Open the VM\'s config');
    const choice = await vscode.window.showErrorMessage(
      vscode.l10n.t('Not rehearsed: {0} is not the config the backup agent on this machine reads ({1}). Rehearse runs only the VM\'s own config, on the VM (over Remote-SSH): a copy names scripts that the agent does not run.', inEditor.scheme === 'file' ? inEditor.fsPath : inEditor.toString(), answer.agentConfig),
      ...(answer.agentConfigExists ? [open] : []),
    );
    if (choice === open) await vscode.window.showTextDocument(vscode.Uri.file(answer.agentConfig));
    return undefined;
  }
  if (!answer.agentConfigExists) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Not rehearsed: there is no {0} on this machine. Rehearse runs the VM\'s own config, on the VM (over Remote-SSH).', answer.agentConfig));
    return undefined;
  }
  return answer.agentConfig;
}

/** What the engine predicts the agent runs (the bundled CLI's `check`, which runs nothing). */
function predict(serverJs: string, configPath: string): Promise<Prediction | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, [serverJs, 'check', '--format', 'json', '--no-shellcheck', '--root', '/', configPath], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 30_000 }, (_error, stdout) => {
      try {
        const parsed = JSON.parse(stdout) as { files: Array<{ effective: Prediction | null }> };
        resolve(parsed.files[0]?.effective ?? undefined);
      } catch {
        resolve(undefined);
      }
    });
  });
}

async function confirm(prediction: Prediction | undefined): Promise<RunPick | undefined> {
  const argv = (values: string[] | null | undefined) => (values ? values.join(' ') : vscode.l10n.t('(the agent cannot run it)'));
  const limit = prediction?.timeoutLimitSeconds ?? '?';
  const items: RunPick[] = [
    { label: vscode.l10n.t('Run the pre-script and the post-script now'), description: vscode.l10n.t('time limit {0} s each', limit), detail: `pre: ${argv(prediction?.preScriptArgv)} · post: ${argv(prediction?.postScriptArgv)}`, skipPost: false },
    { label: vscode.l10n.t('Run only the pre-script (no post-script)'), description: '--skip-post', detail: vscode.l10n.t('Shows whether the application releases itself when the post-script never comes.'), skipPost: true },
  ];
  return vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Rehearse the backup on this machine'),
    placeHolder: vscode.l10n.t('Runs the scripts as root now, exactly as the agent will. Escape cancels.'),
    ignoreFocusOut: true,
  });
}

/** Resolves when `file` exists, or undefined when the user stops waiting. */
function waitForFile(file: string, token: vscode.CancellationToken): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (!fs.existsSync(file)) return;
      done(true);
    };
    const watcher = fs.watch(path.dirname(file), check);
    const subscription = token.onCancellationRequested(() => done(false));
    function done(found: boolean): void {
      watcher.close();
      subscription.dispose();
      resolve(found);
    }
    check();
  });
}

/** Each code links to its section of the README shipped with the extension, as the server's do. */
function readmeCode(readme: vscode.Uri, code: string): { value: string; target: vscode.Uri } {
  return { value: code, target: readme.with({ fragment: code.toLowerCase().replace(/[^a-z0-9-]/g, '') }) };
}

function phaseDiagnostic(side: 'pre' | 'post', phase: PhaseReport, report: RehearsalReport, readme: vscode.Uri): vscode.Diagnostic | undefined {
  if (phase.result !== 'failed' && phase.result !== 'timedout') return undefined;
  const agent = `${report.agent.code} ${report.agent.docName ?? report.agent.name}`;
  const scriptName = side === 'pre' ? vscode.l10n.t('pre-script') : vscode.l10n.t('post-script');
  const firstError = phase.output?.stderr.split('\n').find((line) => line.trim()) ?? '';
  const what = phase.result === 'failed'
    ? vscode.l10n.t('Rehearsal: the {0} exited {1} after {2} s under sh, as the agent runs it; the agent would report {3}.', scriptName, phase.exitCode ?? '?', phase.seconds ?? '?', agent)
    : vscode.l10n.t('Rehearsal: the {0} was still running at the agent\'s limit of {1} s; the agent would report {2} and leave it running.', scriptName, report.timeoutLimitSeconds ?? '?', agent);
  const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), firstError ? `${what} stderr: ${firstError}` : what, vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'vmsnapshot rehearse';
  // The docs' names, as the agent's log and the portal use them.
  diagnostic.code = readmeCode(readme, phase.result === 'failed' ? (side === 'pre' ? 'Pre-ScriptExecutionFailed' : 'Post-ScriptExecutionFailed') : side === 'pre' ? 'Pre-ScriptTimeout' : 'Post-ScriptTimeout');
  return diagnostic;
}

function publishDiagnostics(collection: vscode.DiagnosticCollection, report: RehearsalReport, readme: vscode.Uri): void {
  collection.clear();
  const byFile = new Map<string, vscode.Diagnostic[]>();
  const add = (file: string | null, diagnostic: vscode.Diagnostic | undefined) => {
    if (!file || !diagnostic) return;
    byFile.set(file, [...(byFile.get(file) ?? []), diagnostic]);
  };
  add(report.pre.script, phaseDiagnostic('pre', report.pre, report, readme));
  add(report.post.script, phaseDiagnostic('post', report.post, report, readme));
  if (report.verify && !report.verify.passed) {
    const failed = [report.verify.quiesced, report.verify.released].find((check) => check && !check.ok);
    const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), vscode.l10n.t('Rehearsal with {0}: {1}', report.verify.application, failed?.message ?? ''), vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'vmsnapshot rehearse';
    diagnostic.code = readmeCode(readme, 'NotQuiesced');
    add(report.pre.script, diagnostic);
  }
  for (const [file, diagnostics] of byFile) collection.set(vscode.Uri.file(file), diagnostics);
}

function showReport(report: RehearsalReport): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('vmsnapshot.rehearsal', vscode.l10n.t('Backup rehearsal'), vscode.ViewColumn.Beside, { enableScripts: false });
  panel.webview.html = rehearsalHtml(report);
  return panel;
}

/**
 * "Rehearse the backup on this machine": only in a trusted workspace and only when the user
 * runs it and confirms; the scripts run in a terminal the user sees (with sudo unless VS Code
 * itself runs as root), and the report comes back as a timeline and as diagnostics on the
 * scripts whose phase failed.
 */
export function registerRehearseCommand(context: vscode.ExtensionContext, client: () => LanguageClient | undefined): vscode.Disposable {
  const diagnostics = vscode.languages.createDiagnosticCollection('vmsnapshot-rehearsal');
  const serverJs = context.asAbsolutePath(path.join('dist', 'server.js'));
  const command = vscode.commands.registerCommand('vmsnapshot.rehearse', async (): Promise<RehearsalReport | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Rehearsing runs the backup scripts as root: trust this workspace first.'));
      return undefined;
    }
    const configPath = await findConfig(client());
    if (!configPath) return undefined;
    const pick = await confirm(await predict(serverJs, configPath));
    if (!pick) return undefined;

    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-rehearsal-'));
    const reportFile = path.join(folder, 'report.json');
    const statusFile = path.join(folder, 'status');
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    // --root /: the config is the VM's own, wherever the host conf puts it; its script paths are the VM's.
    const args = ['rehearse', '--yes', '--locale', vscode.env.language, '--report', reportFile, ...(pick.skipPost ? ['--skip-post'] : []), '--root', '/', configPath];
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('Backup rehearsal'), isTransient: true });
    terminal.show();
    terminal.sendText(`${sudo}env ELECTRON_RUN_AS_NODE=1 ${shellQuote(process.execPath)} ${[serverJs, ...args].map(shellQuote).join(' ')}; echo $? > ${shellQuote(statusFile)}`);

    const finished = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Rehearsing the backup in the terminal…'), cancellable: true },
      (_progress, token) => waitForFile(statusFile, token),
    );
    if (!finished) return undefined;
    if (!fs.existsSync(reportFile)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The rehearsal ran nothing (exit {0}): see the terminal.', fs.readFileSync(statusFile, 'utf8').trim()));
      return undefined;
    }
    const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as RehearsalReport;
    fs.rmSync(folder, { recursive: true, force: true });
    publishDiagnostics(diagnostics, report, vscode.Uri.joinPath(context.extensionUri, 'README.md'));
    showReport(report);
    return report;
  });
  return vscode.Disposable.from(command, diagnostics);
}
