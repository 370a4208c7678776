import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, fixtureUri, open, rangeText, waitForDiagnostics, withCode } from './helpers';

describe('script checks', () => {
  before(activateExtension);
  after(closeAll);

  it('editing a script to CRLF line endings shows ScriptCrlf on the script', async () => {
    const uri = fixtureUri('good/etc/azure/pre-script.sh');
    const editor = await open(uri);
    assert.deepEqual(withCode(vscode.languages.getDiagnostics(uri), 'ScriptCrlf'), []);
    assert.equal(await editor.edit((builder) => builder.setEndOfLine(vscode.EndOfLine.CRLF)), true);
    const diagnostics = await waitForDiagnostics(uri, (all) => withCode(all, 'ScriptCrlf').length > 0, 'ScriptCrlf on pre-script.sh');
    const crlf = withCode(diagnostics, 'ScriptCrlf')[0];
    assert.equal(crlf.source, 'vmsnapshot');
    assert.equal(crlf.range.start.line, 0, rangeText(crlf.range));

    assert.equal(await editor.edit((builder) => builder.setEndOfLine(vscode.EndOfLine.LF)), true);
    await waitForDiagnostics(uri, (all) => withCode(all, 'ScriptCrlf').length === 0, 'ScriptCrlf to go with LF endings');
  });
});
