/** Findings about a config's scripts and the agent's other files, pushed at those files: only what changed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { OtherFileDiagnostics } from '../../server/src/diagnostics/otherFiles';
import type { AnalysisResult } from '../../server/src/engine/analyze';
import type { EngineDiagnostic, FileFindings } from '../../server/src/engine/types';

const finding = (message: string): EngineDiagnostic => ({ code: 'HostConfNotParsed', severity: 'error', message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } } });
/** Only the part of an analysis the pushes read. */
const analysisOf = (files: FileFindings[]): AnalysisResult => ({ files: [{ path: '/vm/etc/azure/VMSnapshotScriptPluginConfig.json', kind: 'config', diagnostics: [] }, ...files] }) as unknown as AnalysisResult;
const CONFIG = 'file:///vm/etc/azure/VMSnapshotScriptPluginConfig.json';
const HOST = 'file:///vm/etc/azure/VMSnapshotPluginHost.conf';

describe('OtherFileDiagnostics', () => {
  const published: Array<[string, Diagnostic[]]> = [];
  const pushes = new OtherFileDiagnostics((uri, diagnostics) => published.push([uri, diagnostics]));
  const hostFinding = finding('cannot parse');
  let opened = false;
  const ownedElsewhere = (uri: string) => opened && uri === HOST;

  it('pushes a finding at its file once, and nothing for keystrokes that leave it as it was', () => {
    pushes.update(CONFIG, analysisOf([{ path: '/vm/etc/azure/VMSnapshotPluginHost.conf', kind: 'hostConf', diagnostics: [hostFinding] }]), ownedElsewhere);
    assert.deepEqual(published.map(([uri, diagnostics]) => [uri, diagnostics.map((diagnostic) => diagnostic.message)]), [[HOST, ['cannot parse']]]);
    pushes.update(CONFIG, analysisOf([{ path: '/vm/etc/azure/VMSnapshotPluginHost.conf', kind: 'hostConf', diagnostics: [hostFinding] }]), ownedElsewhere);
    assert.equal(published.length, 1);
  });

  it('clears the file when it is opened and checked from its own text, though the findings are the same', () => {
    opened = true;
    pushes.update(CONFIG, analysisOf([{ path: '/vm/etc/azure/VMSnapshotPluginHost.conf', kind: 'hostConf', diagnostics: [hostFinding] }]), ownedElsewhere);
    assert.deepEqual(published.at(-1), [HOST, []]);
  });

  it('pushes again when a finding is new, even with the same text', () => {
    opened = false;
    pushes.update(CONFIG, analysisOf([{ path: '/vm/etc/azure/VMSnapshotPluginHost.conf', kind: 'hostConf', diagnostics: [finding('cannot parse line 2')] }]), ownedElsewhere);
    assert.deepEqual(published.at(-1)?.[1].map((diagnostic) => diagnostic.message), ['cannot parse line 2']);
    pushes.update(CONFIG, analysisOf([]), ownedElsewhere);
    assert.deepEqual(published.at(-1), [HOST, []], 'a file no longer judged is cleared');
  });
});
