/**
 * Helpers for suites that run inside the extension host. Everything waits on an event
 * (diagnostics changed, a file appeared, a command resolved) with a deadline that only turns a
 * hang into a readable failure.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { UiAnswer } from '../ui';

export const extensionId = 'vmsnapshot-tools.vmsnapshot-scripts';
export const languageId = 'vmsnapshot-config';
const deadlineMs = 20_000;

export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the runner opens the fixture workspace');
  return folder.uri;
}

export function fixtureUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

/** The fixture's VM trees: `<case>/etc/azure/VMSnapshotScriptPluginConfig.json`. */
export function configUri(fixtureCase: string): vscode.Uri {
  return fixtureUri(`${fixtureCase}/etc/azure/VMSnapshotScriptPluginConfig.json`);
}

export async function activateExtension(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(extensionId);
  assert.ok(extension, `${extensionId} is installed from the .vsix`);
  await extension.activate();
  return extension;
}

export async function open(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(document, { preview: false });
}

/** Resolves with the first value of `probe` that is not undefined, probing now and on each event. */
export function waitFor<T>(event: vscode.Event<unknown>, probe: () => T | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const first = probe();
    if (first !== undefined) return resolve(first);
    const timer = setTimeout(() => { listener.dispose(); reject(new Error(`timed out waiting for ${what}`)); }, deadlineMs);
    const listener = event(() => {
      const value = probe();
      if (value === undefined) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(value);
    });
  });
}

/** Waits until the diagnostics of `uri` satisfy `accept`; the failure message shows the last ones seen. */
export async function waitForDiagnostics(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  try {
    return await waitFor(vscode.languages.onDidChangeDiagnostics, () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      return accept(diagnostics) ? diagnostics : undefined;
    }, what);
  } catch (error) {
    throw new Error(`${(error as Error).message}; last diagnostics of ${path.basename(uri.fsPath)}: ${summarize(vscode.languages.getDiagnostics(uri))}`);
  }
}

export function codeOf(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : code === undefined ? undefined : String(code);
}

export function withCode(diagnostics: vscode.Diagnostic[], code: string): vscode.Diagnostic[] {
  return diagnostics.filter((d) => codeOf(d) === code);
}

export function summarize(diagnostics: vscode.Diagnostic[]): string {
  return JSON.stringify(diagnostics.map((d) => ({ code: codeOf(d), source: d.source, range: rangeText(d.range), message: d.message })));
}

/** `line:col-line:col`, zero-based, for compact range assertions. */
export function rangeText(range: vscode.Range): string {
  return `${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}`;
}

/** Position of the first `needle` in the document, plus `delta` characters. */
export function positionOf(document: vscode.TextDocument, needle: string, delta = 0): vscode.Position {
  const offset = document.getText().indexOf(needle);
  assert.ok(offset >= 0, `${needle} is in ${path.basename(document.uri.fsPath)}`);
  return document.positionAt(offset + delta);
}

/** Resolves with whichever of `files` appears first, watching their folder rather than polling. */
export function waitForFile(files: string[], what: string, timeoutMs = deadlineMs): Promise<string> {
  const dir = path.dirname(files[0]);
  fs.mkdirSync(dir, { recursive: true });
  return new Promise<string>((resolve, reject) => {
    const check = () => {
      const found = files.find((file) => fs.existsSync(file));
      if (found === undefined) return;
      clearTimeout(timer);
      watcher.close();
      resolve(found);
    };
    const watcher = fs.watch(dir, check);
    const timer = setTimeout(() => { watcher.close(); reject(new Error(`timed out waiting for ${what}`)); }, timeoutMs);
    check();
  });
}

/**
 * Asks the browser driver for a screenshot once `selector` is visible, and waits until it is
 * written. Only the code-server runner has a driver; elsewhere this does nothing.
 */
export async function screenshot(name: string, selector?: string): Promise<void> {
  const dir = process.env.VMSNAPSHOT_E2E_SCREENSHOTS;
  if (!dir) return;
  const file = path.join(dir, `${name}.png`);
  const error = `${file}.error`;
  for (const stale of [file, error]) fs.rmSync(stale, { force: true });
  console.log(`@@e2e-screenshot ${JSON.stringify({ name, selector })}`);
  if ((await waitForFile([file, error], `screenshot ${name}`)) === error) {
    throw new Error(`screenshot ${name}: ${fs.readFileSync(error, 'utf8')}`);
  }
}

/** Whether a browser driver is there to click and type for the test (code-server runner only). */
export function hasDriver(): boolean {
  return process.env.VMSNAPSHOT_E2E_SIGNALS !== undefined;
}

let uiRequests = 0;

/**
 * Has the browser driver answer the prompts that the next command shows, in order. Resolves
 * when all are answered, rejects with the driver's reason when one never showed up.
 */
export async function answerPrompts(answers: UiAnswer[]): Promise<void> {
  const signals = process.env.VMSNAPSHOT_E2E_SIGNALS;
  assert.ok(signals, 'a browser driver answers prompts');
  const id = `ui-${++uiRequests}`;
  const [done, error] = [path.join(signals, `${id}.done`), path.join(signals, `${id}.error`)];
  console.log(`@@e2e-ui ${JSON.stringify({ id, answers })}`);
  if ((await waitForFile([done, error], `the driver to answer ${answers.map((a) => a.when).join(', ')}`, 50_000)) === error) {
    throw new Error(`the driver could not answer the prompts: ${fs.readFileSync(error, 'utf8')}`);
  }
}

/** Puts the cursor at `position` in `editor`, focused, as a click there would. */
export async function placeCursor(editor: vscode.TextEditor, position: vscode.Position): Promise<void> {
  await vscode.window.showTextDocument(editor.document, { preview: false, preserveFocus: false });
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position));
}

/** Opens the light-bulb menu at the cursor (what Ctrl+. runs) and clicks its entry `title`, as a person would. */
export async function clickQuickFix(title: string, shot?: string): Promise<void> {
  const picked = answerPrompts([{ when: `the light-bulb entry "${title}"`, waitFor: '.action-widget .monaco-list-row', screenshot: shot, pick: title }]);
  await vscode.commands.executeCommand('editor.action.quickFix');
  await picked;
}

/** Reverts every unsaved change and closes all editors, so the next test starts clean without a save prompt. */
export async function closeAll(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && d.uri.scheme === 'file')) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Replaces the whole text of an open document, unsaved, and resolves when the edit applied. */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.equal(await vscode.workspace.applyEdit(edit), true);
}

/** All hover markdown at a position, joined. */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return hovers.flatMap((hover) => hover.contents.map((content) => (typeof content === 'string' ? content : content.value))).join('\n');
}

type Localized = string | { value: string; original: string };

/** "Category: Title" of a contributed command as the Command Palette shows it, in the display language. */
export function paletteTitle(command: string): string | undefined {
  const manifest = vscode.extensions.getExtension(extensionId)?.packageJSON as { contributes: { commands: Array<{ command: string; title: Localized; category?: Localized }> } };
  const text = (value: Localized | undefined) => (typeof value === 'object' ? value.value : value);
  const entry = manifest.contributes.commands.find((candidate) => candidate.command === command);
  return entry && `${text(entry.category)}: ${text(entry.title)}`;
}
