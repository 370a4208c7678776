import * as l10n from '@vscode/l10n';
import { DiagnosticCode } from '../codes';
import type { EngineDiagnostic } from '../types';

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A file this process may not read or stat. The agent runs as root, so this says nothing about
 * the backup: it is information, with the way to get a full check, and never an agent failure.
 */
export function cannotReadAsThisUser(localPath: string, userName: string): EngineDiagnostic {
  return {
    code: DiagnosticCode.accessDenied,
    severity: 'information',
    message: l10n.t('{0} cannot be read as user {1}, so it was not checked; the agent runs as root and may well read it. Run the check as root (sudo) to check it.', localPath, userName),
    range: START,
    file: localPath,
    data: { rule: 'accessDenied', path: localPath },
  };
}
