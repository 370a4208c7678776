import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, closeAll, configUri, fixtureUri, open, screenshot, waitFor } from './helpers';

/** Probes on a timer: the outcome arrives by a notification that fires no editor event. */
function poll<T>(probe: () => T | undefined, what: string): Promise<T> {
  const ticks = new vscode.EventEmitter<void>();
  const timer = setInterval(() => ticks.fire(), 100);
  return waitFor(ticks.event, probe, what).finally(() => {
    clearInterval(timer);
    ticks.dispose();
  });
}

interface VmSnapshotApi {
  outcomeStatusSelector(): vscode.DocumentSelector;
  outcomeText(uri: vscode.Uri): string | undefined;
}

/**
 * The language status item shows where VS Code's own selector matching says so: configs, and the
 * scripts a config names, with that config's result; a plain shell script never shows it.
 */
describe('status item', () => {
  after(closeAll);

  it('shows on a config and on the scripts it names, with the config\'s result, and never on a plain script', async () => {
    const api = (await activateExtension()).exports as VmSnapshotApi;
    const plain = await open(fixtureUri('control/plain.sh'));
    assert.equal(vscode.languages.match(api.outcomeStatusSelector(), plain.document), 0, 'a plain shell script shows no Azure agent status');

    const config = await open(configUri('good'));
    const text = await poll(() => api.outcomeText(config.document.uri), 'the config\'s predicted result');
    assert.match(text, /Azure agent: success/);
    assert.ok(vscode.languages.match(api.outcomeStatusSelector(), config.document) > 0);

    const script = await open(fixtureUri('good/etc/azure/pre-script.sh'));
    assert.ok(vscode.languages.match(api.outcomeStatusSelector(), script.document) > 0, 'a script the config names shows the status');
    assert.equal(await poll(() => api.outcomeText(script.document.uri), 'the script\'s status'), text);
    await screenshot('status-item-script', '.statusbar');

    const plainAgain = await open(fixtureUri('control/plain.sh'));
    assert.equal(vscode.languages.match(api.outcomeStatusSelector(), plainAgain.document), 0);
  });
});
