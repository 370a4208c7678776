import { CodeLens, Range } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import { describeAgentPath } from '../agentFiles/iniFeatures';

/** Describes the predicted agent result in one line, for the code lens and the status item. */
export function describeOutcome(analysis: AnalysisResult): string {
  const outcome = analysis.outcome;
  const name = outcome.docName ?? outcome.name;
  if (analysis.agentFiles?.path === 'workload') return l10n.t('Azure agent: workload path ({0}), {1} {2}', analysis.agentFiles.workload.prediction.name!, outcome.code, outcome.name);
  if (outcome.code === 0) return l10n.t('Azure agent: success ({0})', outcome.name);
  return outcome.silent ? l10n.t('Azure agent: {0} {1}, not shown in the portal', outcome.code, name) : l10n.t('Azure agent: {0} {1}', outcome.code, name);
}

export function describeEffective(analysis: AnalysisResult): string | undefined {
  const effective = analysis.effective;
  if (!effective) return undefined;
  const timeout = effective.timeoutLimitSeconds === null ? l10n.t('no time limit') : l10n.t('timeout {0} s', effective.timeoutLimitSeconds);
  return l10n.t('{0} · poll {1} s · freeze {2} · continue on failure {3}', timeout, effective.pollSeconds, String(effective.fsFreezeEnabled), String(effective.continueBackupOnFailure));
}

/** Lenses above the first line: the predicted result, then the values the agent really uses. */
export function outcomeLenses(analysis: AnalysisResult): CodeLens[] {
  const range = Range.create(0, 0, 0, 0);
  const lenses: CodeLens[] = [{ range, command: { title: describeOutcome(analysis), command: '' } }];
  if (analysis.agentFiles) lenses.push({ range, command: { title: describeAgentPath(analysis.agentFiles), command: '' } });
  const effective = describeEffective(analysis);
  if (effective && analysis.agentFiles?.path !== 'workload') lenses.push({ range, command: { title: effective, command: '' } });
  return lenses;
}
