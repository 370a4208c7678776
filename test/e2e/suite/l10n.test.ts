import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, answerPrompts, closeAll, configUri, hasDriver, hoverText, open, paletteTitle, positionOf, waitForDiagnostics, withCode } from './helpers';

/** Runs in the session started with the display language pt-br. */
describe('Portuguese (pt-br)', () => {
  before(activateExtension);
  after(closeAll);

  it('runs with VS Code in Portuguese', () => {
    assert.equal(vscode.env.language, 'pt-br');
  });

  it('names its command in Portuguese', () => {
    assert.equal(paletteTitle('vmsnapshot.scaffold'), 'Snapshot de VM: Gerar scripts de pré/pós');
  });

  it('titles the scaffold wizard in Portuguese, with VS Code\'s step counter', async function () {
    // Only a browser driver can read and answer the quick input.
    if (!hasDriver()) this.skip();
    await Promise.all([
      answerPrompts([{ when: 'Quais aplicações o snapshot deve colocar em repouso?', title: 'Gerar scripts de pré/pós: aplicativo (1/3)', escape: true }]),
      vscode.commands.executeCommand('vmsnapshot.scaffold'),
    ]);
  });

  it('shows the hover docs in Portuguese', async () => {
    const { document } = await open(configUri('good'));
    const text = await hoverText(document.uri, positionOf(document, '"timeoutInSeconds"', 3));
    assert.match(text, /\*\*timeoutInSeconds\*\*/);
    assert.doesNotMatch(text, /One time limit for the whole script run/);
    assert.match(text, /segundos|tempo/i);
  });

  it('shows the diagnostics in Portuguese, with the same codes', async () => {
    const uri = configUri('mistakes');
    await open(uri);
    const diagnostics = await waitForDiagnostics(uri, (all) => withCode(all, 'UnknownKey').length === 1, 'UnknownKey');
    const unknown = withCode(diagnostics, 'UnknownKey')[0];
    assert.doesNotMatch(unknown.message, /the agent ignores it silently/);
    assert.match(unknown.message, /preScriptLocaton/);
  });
});
