import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { findAssetsRoot } from '../engine/assets';
import type { EngineDiagnostic, Severity } from '../engine/types';

export const DIAGNOSTIC_SOURCE = 'vmsnapshot';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

let readmeUrl: string | undefined;

/** Each code links to its section of the README shipped with the extension, readable offline. */
export function codeHref(code: string): string {
  readmeUrl ??= pathToFileURL(path.join(findAssetsRoot(), 'README.md')).toString();
  return `${readmeUrl}#${code.toLowerCase().replace(/[^a-z0-9-]/g, '')}`;
}

export function toLspDiagnostic(diagnostic: EngineDiagnostic): Diagnostic {
  const href = /^SC\d+$/.test(diagnostic.code) ? `https://www.shellcheck.net/wiki/${diagnostic.code}` : codeHref(diagnostic.code);
  return {
    range: diagnostic.range,
    severity: SEVERITIES[diagnostic.severity],
    code: diagnostic.code,
    codeDescription: { href },
    source: DIAGNOSTIC_SOURCE,
    message: diagnostic.message,
    data: { ...diagnostic.data, agentCode: diagnostic.agentCode },
  };
}
