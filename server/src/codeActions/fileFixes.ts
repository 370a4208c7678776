import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { CodeAction, CodeActionKind, Diagnostic } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from '../diagnostics/toLsp';
import { FixData, readFixData } from './fixData';

/** Commands the server runs for fixes that change files other than the open document. */
export const FILE_FIX_COMMAND = 'vmsnapshot.applyFileFix';
export const CREATE_SCRIPT_COMMAND = 'vmsnapshot.createScript';

export interface FileFixArguments {
  localPath: string;
  mode?: number;
  /** Give the file to root (uid 0, gid 0). */
  chownRoot?: boolean;
}

export interface CreateScriptArguments {
  localPath: string;
  side: 'pre' | 'post';
}

/** What the agent demands: config 600, scripts 700, everything root's. */
function fixFor(data: FixData): { title: string; args: FileFixArguments } | undefined {
  switch (data.rule) {
    case 'scriptMode':
      return { title: l10n.t('Set mode 700 on {0}', path.basename(data.localPath)), args: { localPath: data.localPath, mode: 0o700 } };
    case 'configMode':
      return { title: l10n.t('Set mode 600 on {0}', path.basename(data.localPath)), args: { localPath: data.localPath, mode: 0o600 } };
    case 'scriptOwner':
    case 'configOwner':
      return { title: l10n.t('Give {0} to root', path.basename(data.localPath)), args: { localPath: data.localPath, chownRoot: true } };
    default:
      return undefined;
  }
}

export function fileCodeActions(diagnostics: Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    const data = readFixData(diagnostic);
    if (!data) continue;
    const fix = fixFor(data);
    if (fix) {
      actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: fix.title, command: FILE_FIX_COMMAND, arguments: [fix.args] } });
    }
    if (data.rule === 'scriptNotFound') {
      const title = l10n.t('Create {0} from a template', path.basename(data.localPath));
      const args: CreateScriptArguments = { localPath: data.localPath, side: data.side };
      actions.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title, command: CREATE_SCRIPT_COMMAND, arguments: [args] } });
    }
  }
  return actions;
}

/** Applies a mode/owner fix; the caller has asked the user first, since it changes the system. */
export function applyFileFix(args: FileFixArguments): void {
  if (args.mode !== undefined) fs.chmodSync(args.localPath, args.mode);
  if (args.chownRoot) fs.chownSync(args.localPath, 0, 0);
}

/**
 * Writes a new script, never over an existing file (`wx`), with the agent's mode from the start
 * so that it is never readable by others, even for a moment.
 */
export function createScript(args: CreateScriptArguments, content: string): void {
  fs.mkdirSync(path.dirname(args.localPath), { recursive: true });
  fs.writeFileSync(args.localPath, content, { flag: 'wx', mode: 0o700 });
}
