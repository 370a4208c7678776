/**
 * One catalogue of the keys the agent reads (`engine/model/keys.ts`): the JSON schema, the
 * completion (keys and skeleton, which the language server serves instead of a snippet file VS
 * Code cannot translate) and the "add the key" fix must say what it says.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CONFIG_KEYS, configSkeletonLines, findKeyInfo, SKELETON_KEYS, valueToAdd } from '../../server/src/engine/model/keys';
import { analyzeConfigText } from '../../server/src/engine/oneShot';
import { completeConfig } from '../../server/src/completion/completion';
import { configCodeActions } from '../../server/src/codeActions/configFixes';
import { toLspDiagnostic } from '../../server/src/diagnostics/toLsp';
import type { TextEdit } from 'vscode-languageserver';

const REPO = path.resolve(__dirname, '..', '..', '..');
const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', 'vmsnapshot-script-plugin-config.schema.json'), 'utf8')) as {
  required: string[];
  properties: Record<string, { default?: unknown }>;
};

describe('the key catalogue is the one source of truth', () => {
  it('the schema has exactly its keys, required keys and agent defaults', () => {
    assert.deepEqual(Object.keys(schema.properties).filter((key) => key !== '$schema').sort(), CONFIG_KEYS.map((info) => info.key).sort());
    assert.deepEqual([...schema.required].sort(), CONFIG_KEYS.filter((info) => info.required).map((info) => info.key).sort());
    for (const info of CONFIG_KEYS) assert.deepEqual(schema.properties[info.key].default, info.agentDefault, `default of ${info.key}`);
  });

  it('completion inserts each key with the catalogue\'s snippet', () => {
    const text = '{\n  \n}\n';
    const items = completeConfig(analyzeConfigText(text), 4);
    assert.deepEqual(items.map((item) => item.label).sort(), CONFIG_KEYS.map((info) => info.key).sort());
    for (const item of items) assert.equal((item.textEdit as TextEdit).newText, `"${item.label}": ${findKeyInfo(String(item.label))!.snippet}`);
  });

  it('suggested values are the snippets\' placeholders', () => {
    for (const info of CONFIG_KEYS) {
      if (info.suggested === undefined) continue;
      assert.ok(info.snippet.includes(String(info.suggested)), `${info.key}: ${info.snippet} vs ${String(info.suggested)}`);
    }
  });

  it('completion on an empty config offers the catalogue\'s skeleton, which the agent loads with the suggested values', () => {
    const analysis = analyzeConfigText('');
    const skeleton = completeConfig(analysis, 0).find((item) => (item.textEdit as TextEdit | undefined)?.newText.startsWith('{'));
    assert.equal((skeleton?.textEdit as TextEdit).newText, configSkeletonLines('\t').join('\n'));
    // Accepting every placeholder as it stands gives a config the agent loads.
    const expanded = configSkeletonLines('\t').join('\n').replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$\d+/g, '');
    const loaded = analyzeConfigText(expanded);
    assert.equal(loaded.outcome.code, 0, expanded);
    assert.equal(loaded.effective?.timeoutInSeconds, findKeyInfo('timeoutInSeconds')!.suggested);
    assert.deepEqual(loaded.effective?.preScriptArgv, ['sh', findKeyInfo('preScriptLocation')!.suggested]);
    assert.deepEqual([...SKELETON_KEYS].every((key) => expanded.includes(`"${key}"`)), true);
  });

  it('the fix that adds a missing required key writes the catalogue\'s value', () => {
    const text = '{\n  "preScriptLocation": "/etc/azure/pre-script.sh"\n}\n';
    const analysis = analyzeConfigText(text);
    const missing = analysis.diagnostics.filter((d) => d.data?.rule === 'missingKey').map(toLspDiagnostic);
    const actions = configCodeActions(analysis, 'file:///c.json', missing, undefined);
    const inserted = actions.flatMap((action) => Object.values(action.edit?.changes ?? {}).flat()).map((edit) => edit.newText).join('');
    assert.match(inserted, new RegExp(`"postScriptLocation": "${String(valueToAdd(findKeyInfo('postScriptLocation')!))}"`));
  });
});
