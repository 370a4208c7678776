// The contributed snippets, expanded with their defaults, are valid: the config skeleton checks
// clean, and the shell snippets together pass dash -n and ShellCheck.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { analyzeConfigText } from '../../server/src/engine';
import { commandExists, removeDir, tempDir } from './scaffoldTestSupport';

const ROOT = path.resolve(__dirname, '../../..');

interface Snippet {
  prefix: string | string[];
  body: string[];
  description: string;
}

function load(name: string): Record<string, Snippet> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'snippets', name), 'utf8')) as Record<string, Snippet>;
}

/** Expands a snippet body as VS Code would when every tab stop keeps its default. */
function expand(body: string[]): string {
  let text = body.join('\n');
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(/\$\{\d+:((?:[^${}\\]|\\.)*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '').replace(/\\([$}\\])/g, '$1');
}

describe('snippets', () => {
  it('the config skeleton expands to a config the engine finds no error in', () => {
    const snippets = load('vmsnapshot-config.json');
    const skeleton = Object.values(snippets).find((snippet) => snippet.body.length > 5);
    assert.ok(skeleton);
    const result = analyzeConfigText(expand(skeleton.body), { fileChecks: 'off' });
    assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
    for (const snippet of Object.values(snippets)) assert.ok(snippet.description.length > 10);
  });

  it('every key the agent reads has a snippet, named apart from the language server\'s completion of the key', () => {
    const prefixes = Object.values(load('vmsnapshot-config.json')).flatMap((snippet) => snippet.prefix);
    for (const key of ['pluginName', 'preScriptLocation', 'postScriptLocation', 'preScriptParams', 'postScriptParams', 'timeoutInSeconds', 'continueBackupOnFailure', 'fsFreezeEnabled', 'ScriptsExecutionPollTimeSeconds', 'appName']) {
      assert.ok(prefixes.includes(`vms-${key}`), key);
      assert.ok(!prefixes.includes(key), `${key}: the same label as the server's completion item would list it twice`);
    }
  });

  it('the shell snippets, put together, pass dash -n and ShellCheck', { skip: commandExists('shellcheck') ? false : 'shellcheck is not installed' }, () => {
    const snippets = load('shellscript.json');
    const order = ['preamble', 'state folder', 'lock', 'state file'];
    const parts = order.map((word) => Object.entries(snippets).find(([name]) => name.includes(word))?.[1]);
    assert.ok(parts.every(Boolean));
    const dir = tempDir('vmsnapshot-snippets-');
    try {
      const file = path.join(dir, 'snippets.sh');
      fs.writeFileSync(file, parts.map((snippet) => expand(snippet?.body ?? [])).join('\n'));
      const dash = spawnSync('dash', ['-n', file], { encoding: 'utf8' });
      assert.equal(dash.status, 0, dash.stderr);
      const check = spawnSync('shellcheck', ['-s', 'sh', '-f', 'gcc', file], { encoding: 'utf8' });
      assert.equal(check.stdout, '', fs.readFileSync(file, 'utf8'));
    } finally {
      removeDir(dir);
    }
  });
});
