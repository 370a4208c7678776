/**
 * The editor features in-process, against the engine and the handlers, with the cursor marked
 * by `|` (as vscode-json-languageservice's tests do). The stdio tests in test/lsp prove the wiring.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { completeConfig } from '../../server/src/completion/completion';
import { hoverConfig } from '../../server/src/hover/hover';
import { scriptDefinition } from '../../server/src/links/scriptLinks';
import { createEngine } from '../../server/src/engine/service/engine';
import { withCaret } from '../helpers/caret';
import { VmRoot } from '../helpers/vmRoot';

const engine = createEngine();
const vm = new VmRoot();
after(() => vm.remove());
const configPath = vm.writeValidSetup();

function at(marked: string) {
  const { text, offset } = withCaret(marked);
  return { analysis: engine.analyzeText(text, { configPath }), offset };
}

const hoverText = (marked: string): string => {
  const { analysis, offset } = at(marked);
  const hover = hoverConfig(analysis, offset);
  return hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
};

describe('features at a cursor', () => {
  it('completion in an object offers the keys not yet there', () => {
    const { analysis, offset } = at('{ "preScriptLocation": "/etc/azure/pre.sh", | }');
    const labels = completeConfig(analysis, offset).map((item) => item.label);
    assert.ok(labels.includes('postScriptLocation'), labels.join(' '));
    assert.ok(!labels.includes('preScriptLocation'));
  });

  it('completion of a boolean value offers true and false', () => {
    const { analysis, offset } = at('{ "fsFreezeEnabled": | }');
    const labels = completeConfig(analysis, offset).map((item) => item.label);
    assert.ok(labels.includes('true') && labels.includes('false'), labels.join(' '));
  });

  it('hover on timeoutInSeconds says what the agent really uses here', () => {
    const text = hoverText('{ "preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh", "timeout|InSeconds": 10 }');
    assert.match(text, /12 s/);
  });

  it('go to definition on a script path lands on the script under the VM tree', () => {
    const { analysis, offset } = at('{ "preScriptLocation": "/etc/azure/pr|e.sh", "postScriptLocation": "/etc/azure/post.sh" }');
    const location = scriptDefinition(analysis, offset);
    assert.equal(location?.uri, `file://${vm.local('/etc/azure/pre.sh')}`);
  });
});
