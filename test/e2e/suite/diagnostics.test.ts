import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, codeOf, configUri, fixtureUri, languageId, open, rangeText, screenshot, summarize, waitForDiagnostics } from './helpers';

/** The mistakes fixture, finding by finding: what the agent does with each line. */
const expected = [
  { code: 'IncorrectJSONConfigFile', range: '0:0-0:1', severity: vscode.DiagnosticSeverity.Error }, // preScriptLocation missing
  { code: 'IncorrectJSONConfigFile', range: '1:4-1:76', severity: vscode.DiagnosticSeverity.Error }, // the comment
  { code: 'UnknownKey', range: '3:4-3:22', severity: vscode.DiagnosticSeverity.Warning }, // "preScriptLocaton"
  { code: 'Post-ScriptNotFound', range: '4:26-4:61', severity: vscode.DiagnosticSeverity.Error },
];

function shape(diagnostics: vscode.Diagnostic[]) {
  return diagnostics
    .map((d) => ({ code: codeOf(d), range: rangeText(d.range), severity: d.severity }))
    .sort((a, b) => a.range.localeCompare(b.range) || String(a.code).localeCompare(String(b.code)));
}

describe('diagnostics', () => {
  before(activateExtension);
  after(closeAll);

  it('opening a config shows each finding with its code, range and severity', async () => {
    const uri = configUri('mistakes');
    await open(uri);
    const diagnostics = await waitForDiagnostics(uri, (all) => all.length >= expected.length, 'the findings of mistakes/');
    assert.deepEqual(shape(diagnostics), expected);
    for (const diagnostic of diagnostics) {
      assert.equal(diagnostic.source, 'vmsnapshot');
      // Every code links to its explanation.
      assert.ok(typeof diagnostic.code === 'object' && diagnostic.code.target.toString().length > 0, summarize([diagnostic]));
    }
  });

  it('reports each problem once: the built-in JSON support leaves the config alone', async () => {
    // A plain .json file with a comment proves the JSON language server is running and reporting.
    const control = fixtureUri('control/plain.json');
    await open(control);
    const jsonFindings = await waitForDiagnostics(control, (all) => all.length > 0, 'the JSON support on control/plain.json');
    assert.ok(jsonFindings.every((d) => d.source !== 'vmsnapshot'));

    const uri = configUri('mistakes');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, languageId);
    const diagnostics = vscode.languages.getDiagnostics(uri);
    assert.deepEqual(diagnostics.filter((d) => d.source !== 'vmsnapshot'), [], summarize(diagnostics));
    const keys = diagnostics.map((d) => `${codeOf(d)}@${rangeText(d.range)}`);
    assert.equal(new Set(keys).size, keys.length, `no finding twice: ${keys.join(', ')}`);
  });

  it('lists the findings in the Problems panel', async () => {
    await open(configUri('mistakes'));
    await waitForDiagnostics(configUri('mistakes'), (all) => all.length >= expected.length, 'the findings of mistakes/');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('problems-panel', '.markers-panel .monaco-list-row');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
});
