/**
 * The behaviour rules' quick fixes in the real editor, on a script that a config names: picked
 * in the light-bulb menu, each changes the script as its title says and its finding goes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateExtension, clickQuickFix, closeAll, codeOf, configUri, fixtureUri, hasDriver, open, placeCursor, screenshot, summarize, waitFor, waitForDiagnostics, withCode } from './helpers';

describe('behaviour quick fixes', () => {
  before(async function () {
    // Clicking in the light-bulb menu needs the browser driver (code-server runner).
    if (!hasDriver()) this.skip();
    await activateExtension();
  });
  after(closeAll);

  it('"Keep the status of …" and "Call pg_backup_start(…) instead" rewrite the pre-script, and their findings go', async () => {
    const script = fixtureUri('behaviour/etc/azure/pre-script.sh');
    await open(configUri('behaviour'));
    const editor = await open(script);
    const before = await waitForDiagnostics(script, (all) => withCode(all, 'ExitStatusLost').length === 1 && withCode(all, 'RemovedApi').length === 1, 'ExitStatusLost and RemovedApi');

    const [lost] = withCode(before, 'ExitStatusLost');
    assert.equal(editor.document.getText(lost.range), '$?', summarize(before));
    await placeCursor(editor, lost.range.start);
    await clickQuickFix('Keep the status of `pg_isready` (POSIX form)', 'behaviour-fixes');
    await waitFor(vscode.workspace.onDidChangeTextDocument, () => (editor.document.getText().includes('first_status') ? true : undefined), 'the pipeline rewritten');
    await waitForDiagnostics(script, (all) => withCode(all, 'ExitStatusLost').length === 0, 'ExitStatusLost to go');

    const [removed] = withCode(vscode.languages.getDiagnostics(script), 'RemovedApi');
    await placeCursor(editor, removed.range.start);
    await clickQuickFix("Call pg_backup_start('nightly', true) instead (PostgreSQL 15 and later)", 'behaviour-rename');
    await waitForDiagnostics(script, (all) => withCode(all, 'RemovedApi').length === 0, 'RemovedApi to go');
    await screenshot('behaviour-fixed', '.monaco-editor .view-lines');

    assert.equal(await editor.document.save(), true);
    const saved = fs.readFileSync(script.fsPath, 'utf8');
    assert.match(saved, /\n\{ first_status=\$\( \{ \{ pg_isready -q; echo \$\? >&3; \} \| tee -a "\$state\/ready.log" >&4; \} 3>&1 \); \} 4>&1\nif \[ "\$first_status" -ne 0 \]; then\n/);
    assert.match(saved, /\nSELECT pg_backup_start\('nightly', true\);\nSQL\n/);
    assert.doesNotMatch(saved, /pg_start_backup/);
    const after = vscode.languages.getDiagnostics(script);
    // The renamed call runs in the held session: no rule has anything to say about it.
    assert.deepEqual(after.filter((d) => ['ExitStatusLost', 'RemovedApi', 'LockReleasedAtOnce'].includes(codeOf(d) ?? '')), [], summarize(after));
  });
});
