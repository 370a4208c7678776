// The snippets the language server offers, expanded with their defaults, are valid: the config skeleton checks
// clean, and the shell snippets together pass dash -n and ShellCheck.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { completeConfig } from '../../server/src/completion/completion';
import { completeShellSnippets } from '../../server/src/completion/shellSnippets';
import { analyzeConfigText } from '../../server/src/engine';
import { commandExists, removeDir, tempDir } from './scaffoldTestSupport';

const ROOT = path.resolve(__dirname, '../../..');

interface Snippet {
  prefix: string[];
  body: string[];
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
  it('the config skeleton that completion offers expands to a config the engine finds no error in', () => {
    const [skeleton] = completeConfig(analyzeConfigText('vmsn', { fileChecks: 'off' }), 4);
    assert.ok(skeleton && skeleton.textEdit && 'range' in skeleton.textEdit);
    assert.deepEqual(skeleton.textEdit.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } }, 'replaces the typed word');
    const result = analyzeConfigText(expand(skeleton.textEdit.newText.split('\n')), { fileChecks: 'off' });
    assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error'), []);
  });

  it('every shell snippet has a translated label and description, and is offered for its prefix', () => {
    const ids = Object.keys(load('shellscript.json'));
    const text = 'vmsnapshot';
    const items = completeShellSnippets(text, text.length, (offset) => ({ line: 0, character: offset }));
    assert.equal(items.length, ids.length);
    for (const item of items) {
      assert.ok(typeof item.detail === 'string' && item.detail.length > 10, item.label);
      assert.ok(typeof item.documentation === 'object' && item.documentation.value.length > 10, item.label);
      assert.match(item.sortText ?? '', /^0/, 'ranked ahead of words');
    }
    assert.deepEqual(completeShellSnippets('echo x', 6, (offset) => ({ line: 0, character: offset })), [], 'nothing for other words');
  });

  it('the shell snippets, put together, pass dash -n and ShellCheck', { skip: commandExists('shellcheck') ? false : 'shellcheck is not installed' }, () => {
    const snippets = load('shellscript.json');
    const parts = ['preamble', 'stateDir', 'lock', 'stateFile'].map((id) => snippets[id]);
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
