import { modify } from 'jsonc-parser';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import { DiagnosticCode } from '../engine/codes';
import * as l10n from '@vscode/l10n';
import { findKeyInfo, valueToAdd } from '../engine/model/keys';
import type { ConfigDocument } from '../engine/parse/configDocument';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';

const STRICT_JSON_RULES = new Set(['comment', 'trailingComma', 'bom', 'singleQuote', 'unquotedKey']);

interface DiagnosticData {
  rule?: string;
  key?: string;
  suggestion?: string;
  replacement?: unknown;
  value?: unknown;
}

function rangeOf(document: ConfigDocument, start: number, end: number): Range {
  return Range.create(document.lines.positionAt(start), document.lines.positionAt(end));
}

/** Deletes [start, end) and, when that empties its line, the whole line. */
function deleteSpan(document: ConfigDocument, start: number, end: number): TextEdit {
  const text = document.text;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const newline = text.indexOf('\n', end);
  const lineEnd = newline < 0 ? text.length : newline + 1;
  const blankAround = text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
  return blankAround && lineStart > 0 ? TextEdit.del(rangeOf(document, lineStart, lineEnd)) : TextEdit.del(rangeOf(document, start, end));
}

/** Edits that turn one Python-rejected construct into strict JSON, found again from the text. */
function strictJsonEdit(document: ConfigDocument, offset: number, rule: string): TextEdit | undefined {
  const problem = document.strict.problems.find((candidate) => candidate.offset === offset && candidate.kind === rule);
  if (!problem) return undefined;
  const text = document.text;
  switch (rule) {
    case 'comment':
      return deleteSpan(document, problem.offset, problem.offset + problem.length);
    case 'trailingComma':
    case 'bom':
      return TextEdit.del(rangeOf(document, problem.offset, problem.offset + problem.length));
    case 'singleQuote': {
      let end = problem.offset + 1;
      while (end < text.length && text[end] !== "'") end += text[end] === '\\' ? 2 : 1;
      const inner = text.slice(problem.offset + 1, end).replace(/\\'/g, "'").replace(/"/g, '\\"');
      return TextEdit.replace(rangeOf(document, problem.offset, end + 1), `"${inner}"`);
    }
    case 'unquotedKey':
      return TextEdit.replace(rangeOf(document, problem.offset, problem.offset + problem.length), JSON.stringify(text.slice(problem.offset, problem.offset + problem.length)));
    default:
      return undefined;
  }
}

function removePropertyEdit(document: ConfigDocument, key: string, occurrenceOffset: number): TextEdit | undefined {
  const property = document.properties.find((candidate) => candidate.key === key && candidate.keyNode.offset === occurrenceOffset);
  const propertyNode = property?.keyNode.parent;
  if (!propertyNode) return undefined;
  let end = propertyNode.offset + propertyNode.length;
  const after = /^\s*,/.exec(document.text.slice(end));
  if (after) end += after[0].length;
  return deleteSpan(document, propertyNode.offset, end);
}

function addKeyEdits(document: ConfigDocument, key: string): TextEdit[] {
  const info = findKeyInfo(key);
  const value = info && valueToAdd(info);
  const edits = modify(document.text, [key], value, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  return edits.map((edit) => TextEdit.replace(rangeOf(document, edit.offset, edit.offset + edit.length), edit.content));
}

function action(title: string, diagnostic: Diagnostic | undefined, uri: string, edits: TextEdit[], preferred = false): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    isPreferred: preferred,
    edit: { changes: { [uri]: edits } },
  };
}

function fixFor(analysis: AnalysisResult, uri: string, diagnostic: Diagnostic): CodeAction[] {
  const document = analysis.document;
  const data = (diagnostic.data ?? {}) as DiagnosticData;
  const offset = document.lines.offsetAt(diagnostic.range.start);
  const replaceValue = (title: string, content: string): CodeAction[] => [action(title, diagnostic, uri, [TextEdit.replace(diagnostic.range, content)], true)];
  const rule = data.rule ?? '';
  if (diagnostic.code === DiagnosticCode.incorrectJsonConfigFile && STRICT_JSON_RULES.has(rule)) {
    const edit = strictJsonEdit(document, offset, rule);
    return edit ? [action(l10n.t('Make this strict JSON'), diagnostic, uri, [edit], true)] : [];
  }
  if (diagnostic.code === DiagnosticCode.incorrectJsonConfigFile && rule === 'missingKey' && data.key) {
    return [action(l10n.t('Add the required key "{0}"', data.key), diagnostic, uri, addKeyEdits(document, data.key), true)];
  }
  switch (diagnostic.code) {
    case DiagnosticCode.unknownKey:
      return data.suggestion ? [action(l10n.t('Rename to "{0}"', data.suggestion), diagnostic, uri, [TextEdit.replace(diagnostic.range, JSON.stringify(data.suggestion))], true)] : [];
    case DiagnosticCode.duplicateKey: {
      const edit = data.key ? removePropertyEdit(document, data.key, offset) : undefined;
      return edit ? [action(l10n.t('Remove the ignored duplicate "{0}"', data.key ?? ''), diagnostic, uri, [edit], true)] : [];
    }
    case DiagnosticCode.booleanAsOther:
    case DiagnosticCode.backupFails:
      return typeof data.replacement === 'boolean' ? replaceValue(l10n.t('Write {0}', String(data.replacement)), String(data.replacement)) : [];
    case DiagnosticCode.paramsSplit:
      return typeof data.value === 'string' ? replaceValue(l10n.t('Make it a list of one argument'), JSON.stringify([data.value])) : [];
    case DiagnosticCode.paramConverted:
      return typeof data.replacement === 'string' ? replaceValue(l10n.t('Write it as the string the agent passes'), JSON.stringify(data.replacement)) : [];
    case DiagnosticCode.pollTruncated:
      return typeof data.value === 'number' ? replaceValue(l10n.t('Write {0}', data.value), String(data.value)) : [];
    case DiagnosticCode.timeoutCapped:
      return replaceValue(l10n.t('Write the cap, {0}', analysisCap(analysis)), String(analysisCap(analysis)));
    default:
      return [];
  }
}

function analysisCap(analysis: AnalysisResult): number {
  return analysis.effective?.hostCapSeconds ?? 1800;
}

/** One edit set that makes the whole file strict JSON: the "fix all" source action. */
export function strictJsonFixAll(analysis: AnalysisResult, uri: string): CodeAction | undefined {
  const document = analysis.document;
  const edits = document.strict.problems
    .filter((problem) => STRICT_JSON_RULES.has(problem.kind))
    .map((problem) => strictJsonEdit(document, problem.offset, problem.kind))
    .filter((edit): edit is TextEdit => edit !== undefined);
  if (edits.length === 0) return undefined;
  return { title: l10n.t('Make the whole file strict JSON'), kind: CodeActionKind.SourceFixAll.concat('.', DIAGNOSTIC_SOURCE), edit: { changes: { [uri]: edits } } };
}

export function configCodeActions(analysis: AnalysisResult, uri: string, diagnostics: Diagnostic[], only: string[] | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  const wantsQuickFix = !only || only.some((kind) => CodeActionKind.QuickFix.startsWith(kind) || kind.startsWith(CodeActionKind.QuickFix));
  if (wantsQuickFix) {
    for (const diagnostic of diagnostics) if (diagnostic.source === DIAGNOSTIC_SOURCE) actions.push(...fixFor(analysis, uri, diagnostic));
  }
  const wantsFixAll = !only || only.some((kind) => CodeActionKind.SourceFixAll.startsWith(kind) || kind.startsWith(CodeActionKind.SourceFixAll));
  const fixAll = wantsFixAll ? strictJsonFixAll(analysis, uri) : undefined;
  if (fixAll) actions.push(fixAll);
  return actions;
}
