import type { Diagnostic } from 'vscode-languageserver';
import type { Range } from '../engine/types';

/**
 * What the quick fixes read from a diagnostic's `data`: one variant per rule that has a fix,
 * typed once here. The engine writes these payloads and the editor hands them back untyped, so
 * `readFixData` checks each one before a fix trusts it; fixes then switch on `rule` and the
 * compiler knows every payload.
 */
export type FixData =
  // The config: strict JSON (`bom` is also the script's byte order mark).
  | { rule: 'comment' | 'trailingComma' | 'bom' | 'singleQuote' | 'unquotedKey' }
  | { rule: 'missingKey'; key: string }
  | { rule: 'unknownKey'; key: string; suggestion?: string }
  | { rule: 'duplicateKey'; key: string }
  | { rule: 'booleanAsString' | 'booleanAsOther' | 'booleanAsNumber'; replacement: boolean }
  | { rule: 'paramsString'; value: string }
  | { rule: 'paramConverted'; replacement: string }
  | { rule: 'pollConverted'; value: number }
  | { rule: 'timeoutCapped'; cap: number }
  | { rule: 'timeoutType' }
  | { rule: 'relativePath' }
  | { rule: 'scriptProblems'; localPath: string; line: number; crlf?: boolean }
  // Files on disk.
  | { rule: 'scriptNotFound'; side: 'pre' | 'post'; localPath: string; vmPath: string }
  | { rule: 'scriptMode' | 'scriptOwner'; side: 'pre' | 'post'; localPath: string }
  | { rule: 'configMode' | 'configOwner'; localPath: string }
  // Scripts.
  | { rule: 'crlf' }
  | { rule: 'outputNotRedirected'; insertLine: number }
  | { rule: 'shellcheck'; fix?: Array<{ range: Range; text: string }> }
  | { rule: 'source' | 'testDoubleEquals' | 'functionKeyword' | 'ampRedirect'; construct: string }
  // A fix the engine made with its finding (the behaviour checks: sudo, $? after a pipeline…).
  | { rule: 'engineFix'; title: string; fix: Array<{ range: Range; text: string }> };

export type FixRule = FixData['rule'];

type Field = 'string' | 'number' | 'boolean' | 'side' | 'edits' | 'string?' | 'boolean?' | 'edits?';

/** The payload each rule must carry; a rule missing here has no fix. */
const PAYLOADS: { [R in FixRule]: Record<string, Field> } = {
  comment: {},
  trailingComma: {},
  bom: {},
  singleQuote: {},
  unquotedKey: {},
  missingKey: { key: 'string' },
  unknownKey: { key: 'string', suggestion: 'string?' },
  duplicateKey: { key: 'string' },
  booleanAsString: { replacement: 'boolean' },
  booleanAsOther: { replacement: 'boolean' },
  booleanAsNumber: { replacement: 'boolean' },
  paramsString: { value: 'string' },
  paramConverted: { replacement: 'string' },
  pollConverted: { value: 'number' },
  timeoutCapped: { cap: 'number' },
  timeoutType: {},
  relativePath: {},
  scriptProblems: { localPath: 'string', line: 'number', crlf: 'boolean?' },
  scriptNotFound: { side: 'side', localPath: 'string', vmPath: 'string' },
  scriptMode: { side: 'side', localPath: 'string' },
  scriptOwner: { side: 'side', localPath: 'string' },
  configMode: { localPath: 'string' },
  configOwner: { localPath: 'string' },
  crlf: {},
  outputNotRedirected: { insertLine: 'number' },
  shellcheck: { fix: 'edits?' },
  source: { construct: 'string' },
  testDoubleEquals: { construct: 'string' },
  functionKeyword: { construct: 'string' },
  ampRedirect: { construct: 'string' },
  engineFix: { title: 'string', fix: 'edits' },
};

function isEdits(value: unknown): boolean {
  return Array.isArray(value) && value.every((edit) => typeof edit === 'object' && edit !== null && typeof (edit as { text?: unknown }).text === 'string' && typeof (edit as { range?: unknown }).range === 'object');
}

function fits(value: unknown, field: Field): boolean {
  if (field.endsWith('?') && value === undefined) return true;
  switch (field.replace('?', '')) {
    case 'side':
      return value === 'pre' || value === 'post';
    case 'edits':
      return isEdits(value);
    default:
      return typeof value === field.replace('?', '');
  }
}

/** The diagnostic's fix data, when its rule has a fix and its payload has the right shape. */
export function readFixData(diagnostic: Diagnostic): FixData | undefined {
  const data = diagnostic.data as Record<string, unknown> | undefined;
  // Whatever its rule, a finding that carries its own titled edits is fixed by them.
  if (typeof data?.fixTitle === 'string' && isEdits(data.fix) && (data.fix as unknown[]).length > 0) {
    return { rule: 'engineFix', title: data.fixTitle, fix: data.fix as Array<{ range: Range; text: string }> };
  }
  const rule = data?.rule;
  if (typeof rule !== 'string' || !Object.prototype.hasOwnProperty.call(PAYLOADS, rule)) return undefined;
  const payload = PAYLOADS[rule as FixRule];
  for (const [name, field] of Object.entries(payload)) if (!fits(data?.[name], field)) return undefined;
  // The one cast: every field of this rule's variant was checked just above.
  return data as FixData;
}
