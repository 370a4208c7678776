import * as path from 'path';
import { modify } from 'jsonc-parser';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import { DiagnosticCode } from '../engine/codes';
import * as l10n from '@vscode/l10n';
import { findKeyInfo, valueToAdd } from '../engine/model/keys';
import type { ConfigDocument } from '../engine/parse/configDocument';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';
import { action } from './action';
import { keepCommentAsKey } from './commentFix';
import { FixData, readFixData } from './fixData';
import { convertToLfAction } from './lineEndings';
import { scriptPathFixes } from './scriptPathFixes';

type StrictJsonRule = 'comment' | 'trailingComma' | 'bom' | 'singleQuote' | 'unquotedKey';
const STRICT_JSON_RULES = new Set<string>(['comment', 'trailingComma', 'bom', 'singleQuote', 'unquotedKey']);

/** Each strict-JSON fix is named by what it does: deleting a comment is not the same as fixing a quote. */
function strictJsonTitle(rule: StrictJsonRule): string {
  switch (rule) {
    case 'comment':
      return l10n.t('Delete the comment');
    case 'trailingComma':
      return l10n.t('Remove the trailing comma');
    case 'bom':
      return l10n.t('Remove the byte order mark');
    case 'singleQuote':
      return l10n.t('Use double quotes');
    case 'unquotedKey':
      return l10n.t('Put the key in double quotes');
  }
}

/** `"60"` → 60: the number a string timeout was meant to be, when it is one. */
function numberInString(document: ConfigDocument, range: Range): number | undefined {
  const raw = document.text.slice(document.lines.offsetAt(range.start), document.lines.offsetAt(range.end));
  let inner: unknown;
  try {
    inner = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof inner !== 'string' || !/^\s*\d+(\.\d+)?\s*$/.test(inner)) return undefined;
  return Number(inner);
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
export function strictJsonEdit(document: ConfigDocument, offset: number, rule: string): TextEdit | undefined {
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


function fixFor(analysis: AnalysisResult, uri: string, diagnostic: Diagnostic, data: FixData): CodeAction[] {
  const document = analysis.document;
  const offset = document.lines.offsetAt(diagnostic.range.start);
  const replaceValue = (title: string, content: string): CodeAction[] => [action(title, diagnostic, uri, [TextEdit.replace(diagnostic.range, content)], true)];
  switch (data.rule) {
    case 'comment': {
      const edit = strictJsonEdit(document, offset, data.rule);
      const kept = keepCommentAsKey(document, offset);
      return [
        ...(edit ? [action(strictJsonTitle(data.rule), diagnostic, uri, [edit], true)] : []),
        ...(kept ? [action(l10n.t('Keep the comment as a "{0}" key (the agent ignores it)', kept.key), diagnostic, uri, kept.edits)] : []),
      ];
    }
    case 'trailingComma':
    case 'bom':
    case 'singleQuote':
    case 'unquotedKey': {
      if (diagnostic.code !== DiagnosticCode.incorrectJsonConfigFile) return [];
      const edit = strictJsonEdit(document, offset, data.rule);
      return edit ? [action(strictJsonTitle(data.rule), diagnostic, uri, [edit], true)] : [];
    }
    case 'missingKey':
      return [action(l10n.t('Add the required key "{0}"', data.key), diagnostic, uri, addKeyEdits(document, data.key), true)];
    case 'unknownKey':
      return data.suggestion ? [action(l10n.t('Rename to "{0}"', data.suggestion), diagnostic, uri, [TextEdit.replace(diagnostic.range, JSON.stringify(data.suggestion))], true)] : [];
    case 'duplicateKey': {
      const edit = removePropertyEdit(document, data.key, offset);
      return edit ? [action(l10n.t('Remove the ignored duplicate "{0}"', data.key), diagnostic, uri, [edit], true)] : [];
    }
    case 'booleanAsString':
    case 'booleanAsOther':
    case 'booleanAsNumber':
      return replaceValue(l10n.t('Write {0}', String(data.replacement)), String(data.replacement));
    case 'paramsString':
      return replaceValue(l10n.t('Make it a list of one argument'), JSON.stringify([data.value]));
    case 'paramConverted':
      return replaceValue(l10n.t('Write it as the string the agent passes'), JSON.stringify(data.replacement));
    case 'pollConverted':
      return replaceValue(l10n.t('Write {0}', data.value), String(data.value));
    case 'timeoutCapped':
      return replaceValue(l10n.t('Write the cap, {0}', analysisCap(analysis)), String(analysisCap(analysis)));
    case 'timeoutType': {
      const seconds = numberInString(document, diagnostic.range);
      return seconds === undefined ? [] : replaceValue(l10n.t('Write {0}', seconds), String(seconds));
    }
    case 'relativePath':
    case 'scriptNotFound':
      return scriptPathFixes(analysis, uri, diagnostic, data);
    case 'scriptProblems':
      return data.crlf ? [convertToLfAction(diagnostic, data.localPath, path.basename(data.localPath))] : [];
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
    for (const diagnostic of diagnostics) {
      const data = diagnostic.source === DIAGNOSTIC_SOURCE ? readFixData(diagnostic) : undefined;
      if (data) actions.push(...fixFor(analysis, uri, diagnostic, data));
    }
  }
  const wantsFixAll = !only || only.some((kind) => CodeActionKind.SourceFixAll.startsWith(kind) || kind.startsWith(CodeActionKind.SourceFixAll));
  const fixAll = wantsFixAll ? strictJsonFixAll(analysis, uri) : undefined;
  if (fixAll) actions.push(fixAll);
  return actions;
}
