import { CodeAction, CodeActionKind, Diagnostic, TextEdit } from 'vscode-languageserver';

/** A quick fix that edits one document. */
export function action(title: string, diagnostic: Diagnostic | undefined, uri: string, edits: TextEdit[], preferred = false): CodeAction {
  return {
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    isPreferred: preferred,
    edit: { changes: { [uri]: edits } },
  };
}
