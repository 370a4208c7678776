/**
 * The predicted result stays the agent's, but "Success" must not stand alone over scripts that
 * quiesce nothing: when an error-level behaviour rule fires, the analysis says that application
 * consistency is not achieved, and which rule says so.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'path';
import type { EngineDiagnostic } from '../../types';
import { BEHAVIOUR_CODES } from './index';

export interface ConsistencyNotAchieved {
  /** The behaviour code of the first error-level finding. */
  code: string;
  /** The local path of the file it is in. */
  file: string;
  /** Zero-based line. */
  line: number;
}

/** The first error-level behaviour finding, pre-script first, or undefined when there is none. */
export function consistencyVerdict(diagnostics: readonly EngineDiagnostic[], preScriptPath?: string): ConsistencyNotAchieved | undefined {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error' && BEHAVIOUR_CODES.has(diagnostic.code) && diagnostic.file !== undefined);
  const first = errors.find((diagnostic) => diagnostic.file === preScriptPath) ?? errors[0];
  return first ? { code: first.code, file: first.file!, line: first.range.start.line } : undefined;
}

/** One line for the code lens, the status item and the CLI's text output. */
export function describeConsistency(verdict: ConsistencyNotAchieved): string {
  return l10n.t('application consistency not achieved ({0}, {1}:{2})', verdict.code, path.basename(verdict.file), verdict.line + 1);
}
