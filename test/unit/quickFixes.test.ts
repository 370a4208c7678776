import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver';
import { configCodeActions } from '../../server/src/codeActions/configFixes';
import { toLspDiagnostic } from '../../server/src/diagnostics/toLsp';
import { analyzeConfigText } from '../../server/src/engine/oneShot';

const hasPython = spawnSync('python3', ['--version']).status === 0;

/** What the agent does first: Python's json.load, then the two required keys. */
function agentLoads(text: string): { ok: boolean; error: string } {
  const program = 'import json,sys\nd=json.loads(sys.stdin.read())\nd["preScriptLocation"]; d["postScriptLocation"]';
  const run = spawnSync('python3', ['-c', program], { input: text, encoding: 'utf8' });
  return { ok: run.status === 0, error: run.stderr };
}

/** Applies the preferred quick fix of the first fixable diagnostic until none is left. */
function applyAllFixes(text: string): string {
  for (let round = 0; round < 50; round++) {
    const analysis = analyzeConfigText(text);
    const diagnostics = analysis.diagnostics.filter((diagnostic) => diagnostic.file === undefined).map(toLspDiagnostic);
    const fix = configCodeActions(analysis, 'file:///c.json', diagnostics, ['quickfix']).find((action) => action.isPreferred);
    if (!fix) return text;
    const edits = fix.edit!.changes!['file:///c.json'] as TextEdit[];
    text = TextDocument.applyEdits(TextDocument.create('file:///c.json', 'json', 1, text), edits);
  }
  throw new Error('the fixes do not converge');
}

const broken: Array<[string, string]> = [
  ['comments, trailing commas and a typo', '{\n  // old sample\n  "preScriptLocaton": "/etc/azure/pre.sh",\n  "postScriptLocation": "/etc/azure/post.sh", /* x */\n  "timeoutInSeconds": 60,\n}\n'],
  ['single quotes and unquoted keys', "{'preScriptLocation': '/etc/azure/pre.sh', postScriptLocation: \"/etc/azure/post.sh\"}"],
  ['a BOM and a duplicate key', '\uFEFF{"preScriptLocation": "/a.sh", "postScriptLocation": "/b.sh", "postScriptLocation": "/c.sh"}'],
  ['missing keys and wrong types', '{"preScriptParams": "-v", "continueBackupOnFailure": "false", "fsFreezeEnabled": 1, "ScriptsExecutionPollTimeSeconds": 2.5}'],
];

describe('quick fixes leave a config that the engine and the agent accept', () => {
  for (const [name, text] of broken) {
    it(name, { skip: hasPython ? false : 'python3 is not installed' }, () => {
      assert.equal(agentLoads(text).ok && analyzeConfigText(text).outcome.code === 0, false, 'the config starts broken');
      const fixed = applyAllFixes(text);
      const result = analyzeConfigText(fixed);
      assert.deepEqual(result.diagnostics.filter((diagnostic) => diagnostic.severity === 'error').map((diagnostic) => diagnostic.message), []);
      assert.equal(result.outcome.code, 0);
      const loaded = agentLoads(fixed);
      assert.ok(loaded.ok, `${fixed}\n${loaded.error}`);
    });
  }
});
