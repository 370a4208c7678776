import { pathToFileURL } from 'url';
import * as l10n from '@vscode/l10n';
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver';

/**
 * Run by the client, not the server: VS Code keeps a document's line-ending style whatever text
 * an edit inserts, so only the editor can switch an open document to LF (and the client rewrites
 * the file on disk when it is not open).
 */
export const CONVERT_TO_LF_COMMAND = 'vmsnapshot.convertToLf';

/** `target` is the script's URI, or its local path when the finding sits in the config. */
export function convertToLfAction(diagnostic: Diagnostic, target: string, name?: string): CodeAction {
  const uri = target.includes('://') ? target : pathToFileURL(target).toString();
  const title = name ? l10n.t('Convert {0} to LF line endings', name) : l10n.t('Convert to LF line endings');
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, command: { title, command: CONVERT_TO_LF_COMMAND, arguments: [uri] } };
}
