import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, configUri, languageId, open } from './helpers';

describe('smoke', () => {
  it('activates from the installed .vsix and owns the config file', async () => {
    const extension = await activateExtension();
    assert.equal(extension.isActive, true);
    // Installed, not loaded from the sources: the host unpacked the .vsix into its extensions folder.
    assert.match(extension.extensionUri.path, /\/extensions\/vmsnapshot-tools\.vmsnapshot-scripts-[\d.]+$/);
    const editor = await open(configUri('good'));
    assert.equal(editor.document.languageId, languageId);
    assert.equal(vscode.env.language, 'en');
  });
});
