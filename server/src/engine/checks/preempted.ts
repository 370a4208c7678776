import * as l10n from '@vscode/l10n';
import type { AgentOutcome } from '../outcome';
import type { EngineDiagnostic } from '../types';

/**
 * The agent reports only its first failure. A finding of another agent failure is still a real
 * problem, but its message must not claim that the agent reports it now: it says where the agent
 * stops instead, so the findings tell the same story as the predicted outcome (a missing key is
 * 305, yet a string timeout before it crashes the loader first: 304).
 */
export function notePreemptedFailures(diagnostics: EngineDiagnostic[], outcome: AgentOutcome): void {
  if (outcome.code === 0) return;
  for (const diagnostic of diagnostics) {
    if (diagnostic.agentCode === undefined || diagnostic.agentCode === outcome.code) continue;
    diagnostic.message = `${diagnostic.message} ${l10n.t('The agent stops before this, at {0} {1}: this failure follows once that is fixed.', outcome.code, outcome.docName ?? outcome.name)}`;
    diagnostic.data = { ...(diagnostic.data ?? { rule: 'agentFailure' }), preemptedBy: outcome.code };
  }
}
