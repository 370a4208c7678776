import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, configUri, open, positionOf, screenshot } from './helpers';

describe('hover', () => {
  before(activateExtension);
  after(closeAll);

  it('shows the markdown docs of a key, with what the agent makes of it here', async () => {
    const editor = await open(configUri('good'));
    const position = positionOf(editor.document, '"timeoutInSeconds"', 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, position);
    const ours = hovers.find((hover) => hover.contents.some((c) => typeof c !== 'string' && c.value.includes('**timeoutInSeconds**')));
    assert.ok(ours, 'a hover for timeoutInSeconds');
    const markdown = ours.contents[0];
    assert.ok(markdown instanceof vscode.MarkdownString);
    assert.match(markdown.value, /One time limit for the whole script run/);
    assert.match(markdown.value, /Agent default: `10`/);
    assert.match(markdown.value, /In this file: 30 s/);

    editor.selection = new vscode.Selection(position, position);
    await vscode.commands.executeCommand('editor.action.showHover');
    await screenshot('hover-key', '.monaco-editor .monaco-hover .markdown-hover');
  });
});
