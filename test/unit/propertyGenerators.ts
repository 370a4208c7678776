/**
 * Generators and the "never throws, always answers" oracle shared by the property tests
 * (test/unit/property*.test.ts, 10,000+ cases in CI) and the benchmark (scripts/bench, which runs
 * 100,000 and reports the distribution of per-document times).
 */
import * as fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver';
import { AnalyzeOptions, AnalysisResult } from '../../server/src/engine/analyze';
import { analyzeConfigText } from '../../server/src/engine/oneShot';
import { CONFIG_KEYS } from '../../server/src/engine/model/keys';
import { configCodeActions } from '../../server/src/codeActions/configFixes';
import { outcomeLenses } from '../../server/src/codeLens/outcomeLens';
import { describePredictedRun } from '../../server/src/codeLens/predictedRun';
import { completeConfig } from '../../server/src/completion/completion';
import { toLspDiagnostic } from '../../server/src/diagnostics/toLsp';
import { hoverConfig } from '../../server/src/hover/hover';
import { scriptDefinition, scriptLinks } from '../../server/src/links/scriptLinks';
import { foldingRanges } from '../../server/src/engine/structure/folding';
import { formatConfigText } from '../../server/src/engine/structure/format';
import { keyHighlights } from '../../server/src/engine/structure/highlights';
import { selectionSpans } from '../../server/src/engine/structure/selection';
import { documentSymbols } from '../../server/src/engine/structure/symbols';

/** Generous, so that a loaded CI machine does not flake; the benchmark reports the real spread. */
export const PER_DOCUMENT_BOUND_MS = 100;

export const VALID_CONFIGS: readonly string[] = [
  `{
  "pluginName": "ScriptRunner",
  "preScriptLocation": "/etc/azure/pre-script.sh",
  "postScriptLocation": "/etc/azure/post-script.sh",
  "preScriptParams": ["--log", "/var/log/azure-backup-prepost.log"],
  "postScriptParams": ["--log", "/var/log/azure-backup-prepost.log"],
  "preScriptNoOfRetries": 0,
  "postScriptNoOfRetries": 0,
  "timeoutInSeconds": 30,
  "continueBackupOnFailure": true,
  "fsFreezeEnabled": true,
  "ScriptsExecutionPollTimeSeconds": 3
}
`,
  '{"preScriptLocation":"/opt/pre.sh","postScriptLocation":"/opt/post.sh","timeoutInSeconds":NaN,"preScriptParams":[1,true,null,{"a":[]}]}',
  '{\r\n  "$schema": "https://example.invalid/s.json",\r\n  "preScriptLocation": "/etc/azure/pre.sh",\r\n  "postScriptLocation": "/etc/azure/post.sh",\r\n  "timeoutInSeconds": 1E400\r\n}\r\n',
];

/** The characters JSON, Python's extensions and the usual mistakes are made of. */
const JSONISH = fc.constantFrom(...'{}[]":,. \n\t\r\\/-+0123456789eEtrufalsnNIiyl\'#*aSbc$é\u0000\ufeff😀'.split(''), 'NaN', 'Infinity', '//', '/*', '*/', '\\u00', '"preScriptLocation"', '"timeoutInSeconds"');

/** Any text: raw Unicode (lone surrogates included), and text made of JSON's own characters. */
export const randomText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: JSONISH, maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('{', '[', '"', ']', '}', ':', ','), maxLength: 2000 }),
);

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'swapTokens'; first: number; second: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit: JSONISH, minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('swapTokens' as const), first: fc.nat(), second: fc.nat() }),
);

const TOKEN = /"(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[A-Za-z]+|[{}[\]:,]/g;

function applyMutation(text: string, change: Mutation): string {
  const at = (n: number) => (text.length === 0 ? 0 : n % (text.length + 1));
  switch (change.kind) {
    case 'delete': {
      const start = at(change.at);
      return text.slice(0, start) + text.slice(start + change.length);
    }
    case 'insert': {
      const start = at(change.at);
      return text.slice(0, start) + change.text + text.slice(start);
    }
    case 'duplicate': {
      const start = at(change.at);
      return text.slice(0, start + change.length) + text.slice(start, start + change.length) + text.slice(start + change.length);
    }
    case 'swapTokens': {
      const tokens = [...text.matchAll(TOKEN)];
      if (tokens.length < 2) return text;
      let [a, b] = [tokens[change.first % tokens.length], tokens[change.second % tokens.length]];
      if (a.index === b.index) return text;
      if (a.index! > b.index!) [a, b] = [b, a];
      return text.slice(0, a.index) + b[0] + text.slice(a.index! + a[0].length, b.index) + a[0] + text.slice(b.index! + b[0].length);
    }
  }
}

/** A valid config, then one to six deletions, insertions, duplications and token swaps. */
export const mutatedConfig: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...VALID_CONFIGS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([text, changes]) => changes.reduce(applyMutation, text));

/** Python's own literals and the numbers that sit on the agent's edges. */
const pythonNumber = fc.constantFrom('NaN', 'Infinity', '-Infinity', '1E400', '-1E400', '-0', '0.0', '2.5', '1e-400', '9007199254740993', '-1', '1801', '1800');
const jsonText = (value: unknown) => JSON.stringify(value) ?? 'null';

/** Any JSON value, sometimes a Python literal, as source text. */
const valueText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 3 }).map(jsonText) },
  { weight: 2, arbitrary: pythonNumber },
  { weight: 2, arbitrary: fc.string({ maxLength: 30 }).map(jsonText) },
  { weight: 1, arbitrary: fc.array(fc.oneof(fc.string({ maxLength: 10 }).map(jsonText), pythonNumber, fc.constant('null')), { maxLength: 5 }).map((items) => `[${items.join(',')}]`) },
  { weight: 1, arbitrary: fc.constantFrom('"/etc/azure/pre-script.sh"', '"relative.sh"', '"/"', '""', '"/etc/azure/"', '"\\u0000"', '"/dev/zero"', '"/proc/self/fd/0"') },
);

const keyText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...CONFIG_KEYS.map((info) => info.key)) },
  { weight: 1, arbitrary: fc.constantFrom('scriptsExecutionPollTimeSeconds', 'preScriptLocaton', '$schema', '_comment', '', 'PreScriptLocation') },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

/** An object whose keys are (mostly) the config's, each with a random value; duplicates allowed. */
export const randomValuesConfig: fc.Arbitrary<string> = fc
  .array(fc.tuple(keyText, valueText), { maxLength: 14 })
  .map((entries) => `{\n${entries.map(([key, value]) => `  ${jsonText(key)}: ${value}`).join(',\n')}\n}\n`);

export interface CaseResult {
  /** Time of the analysis plus every feature request, in milliseconds. */
  /** CPU milliseconds this process spent on the document. */
  elapsedMs: number;
  requests: number;
}

function assertRange(range: { start: { line: number; character: number }; end: { line: number; character: number } }, what: string): void {
  for (const position of [range.start, range.end]) {
    if (!Number.isInteger(position.line) || !Number.isInteger(position.character) || position.line < 0 || position.character < 0) {
      throw new Error(`${what}: invalid position ${JSON.stringify(position)}`);
    }
  }
  if (range.start.line > range.end.line || (range.start.line === range.end.line && range.start.character > range.end.character)) {
    throw new Error(`${what}: range ends before it starts ${JSON.stringify(range)}`);
  }
}

/**
 * Analyzes one text and asks every feature the server offers at `offsets` (plus the start,
 * the end and just past the end), as the server would. Throws on an exception anywhere or an
 * answer that is not well formed; returns how long all of it took.
 */
export function exerciseDocument(text: string, options: AnalyzeOptions, offsets: readonly number[] = []): CaseResult {
  // CPU time of this process, not wall time: other work on a loaded machine does not count.
  const started = process.cpuUsage();
  const analysis: AnalysisResult = analyzeConfigText(text, options);
  let requests = 1;
  if (!Array.isArray(analysis.diagnostics)) throw new Error('diagnostics is not an array');
  const lspDiagnostics: Diagnostic[] = [];
  for (const diagnostic of analysis.diagnostics) {
    assertRange(diagnostic.range, `diagnostic ${diagnostic.code}`);
    if (typeof diagnostic.message !== 'string' || diagnostic.message === '') throw new Error(`diagnostic ${diagnostic.code} has no message`);
    lspDiagnostics.push(toLspDiagnostic(diagnostic));
  }
  if (typeof analysis.outcome?.code !== 'number') throw new Error('no predicted outcome');
  const uri = 'file:///vm/etc/azure/VMSnapshotScriptPluginConfig.json';
  const probes = [0, text.length, text.length + 5, ...offsets.map((offset) => (text.length === 0 ? 0 : offset % (text.length + 1)))];
  for (const offset of probes) {
    const items = completeConfig(analysis, offset);
    if (!Array.isArray(items)) throw new Error(`completion at ${offset} is not a list`);
    hoverConfig(analysis, offset);
    scriptDefinition(analysis, offset);
    selectionSpans(text, analysis.document.root, offset);
    keyHighlights(analysis.document.root, offset);
    requests += 5;
  }
  for (const link of scriptLinks(analysis)) assertRange(link.range, 'document link');
  for (const lens of outcomeLenses(analysis, uri)) assertRange(lens.range, 'code lens');
  describePredictedRun(analysis, 'VMSnapshotScriptPluginConfig.json');
  configCodeActions(analysis, uri, lspDiagnostics, undefined);
  configCodeActions(analysis, uri, lspDiagnostics, ['source.fixAll.vmsnapshot']);
  formatConfigText(text, undefined, { tabSize: 2, insertSpaces: true });
  documentSymbols(analysis.document.root, { resultLimit: 5000 });
  foldingRanges(text);
  requests += 7;
  const used = process.cpuUsage(started);
  return { elapsedMs: (used.user + used.system) / 1000, requests };
}

/** Offsets at which to ask for completion and hover in one case. */
export const probeOffsets = fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 4 });
