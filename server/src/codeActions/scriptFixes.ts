import * as l10n from '@vscode/l10n';
import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ScriptCode } from '../engine/codes';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';
import { FixData, readFixData } from './fixData';
import { convertToLfAction } from './lineEndings';

function logLine(document: TextDocument): string {
  const name = URI.parse(document.uri).path.split('/').pop()?.replace(/\.sh$/, '') || 'script';
  return `exec >>/var/log/azure-vmsnapshot-${name}.log 2>&1\n`;
}

/**
 * The one-word rewrites that make a bash-ism what dash runs: `source` → `.`, `==` → `=`,
 * `function f {` → `f() {`, `&>file` → `>file 2>&1`. Undefined where the text is not the
 * simple form (the finding stays, without a fix).
 */
function posixRewrite(document: TextDocument, range: Range, data: Extract<FixData, { construct: string }>): { title: string; edit: TextEdit } | undefined {
  const text = document.getText();
  const start = document.offsetAt(range.start);
  const end = document.offsetAt(range.end);
  switch (data.rule) {
    case 'source':
      return text.slice(start, end) === 'source' ? { title: l10n.t('Replace `source` with `.`'), edit: TextEdit.replace(range, '.') } : undefined;
    case 'testDoubleEquals':
      return text.slice(start, end) === '==' ? { title: l10n.t('Replace `==` with `=`'), edit: TextEdit.replace(range, '=') } : undefined;
    case 'functionKeyword': {
      // The construct runs to the `{`: `function f `, or `function f() `.
      const match = /^function\s+([A-Za-z_][\w-]*)(?:\s*\(\s*\))?(\s*)$/.exec(text.slice(start, end));
      return match ? { title: l10n.t('Write `{0}() {`', match[1]), edit: TextEdit.replace(range, `${match[1]}()${match[2] || ' '}`) } : undefined;
    }
    case 'ampRedirect': {
      const match = /^&(>>?)[ \t]*([^\s;&|<>()]+)/.exec(text.slice(start));
      if (!match) return undefined;
      const replacement = `${match[1]}${match[2]} 2>&1`;
      return { title: l10n.t('Write `{0}`', replacement), edit: TextEdit.replace(Range.create(range.start, document.positionAt(start + match[0].length)), replacement) };
    }
  }
}

/** Quick fixes for a script, matched on the diagnostic's code and data. */
export function scriptCodeActions(document: TextDocument, diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  const edit = (title: string, diagnostic: Diagnostic, edits: TextEdit[], preferred = true): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: preferred,
    edit: { changes: { [document.uri]: edits } },
  });
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    if (diagnostic.code === 'SC1017') {
      actions.push(convertToLfAction(diagnostic, document.uri));
      continue;
    }
    const data = readFixData(diagnostic);
    if (!data) continue;
    switch (data.rule) {
      case 'crlf':
        actions.push(convertToLfAction(diagnostic, document.uri));
        break;
      case 'bom':
        if (diagnostic.code === ScriptCode.bom && document.getText().charCodeAt(0) === 0xfeff) actions.push(edit(l10n.t('Remove the byte order mark'), diagnostic, [TextEdit.del(Range.create(0, 0, 0, 1))]));
        break;
      case 'outputNotRedirected':
        actions.push(edit(l10n.t('Send all output to a log file'), diagnostic, [TextEdit.insert({ line: data.insertLine, character: 0 }, logLine(document))]));
        break;
      case 'engineFix':
        actions.push(edit(data.title, diagnostic, data.fix.map((replacement) => TextEdit.replace(replacement.range, replacement.text))));
        break;
      case 'shellcheck':
        if (data.fix?.length) actions.push(edit(l10n.t('Apply ShellCheck\'s fix'), diagnostic, data.fix.map((replacement) => TextEdit.replace(replacement.range, replacement.text)), false));
        break;
      case 'source':
      case 'testDoubleEquals':
      case 'functionKeyword':
      case 'ampRedirect': {
        const rewrite = diagnostic.code === ScriptCode.notPosix ? posixRewrite(document, diagnostic.range, data) : undefined;
        if (rewrite) actions.push(edit(rewrite.title, diagnostic, [rewrite.edit]));
        break;
      }
    }
  }
  return actions;
}
