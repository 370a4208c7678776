import { CodeLens, Range } from 'vscode-languageserver';
import type { AnalysisResult } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import { describeAgentPath } from '../agentFiles/iniFeatures';
import { describeBackupFlow, describeOutcome } from '../engine/describe';
import { describeConsistency } from '../engine/scripts/behaviour/verdict';

/** The predicted result and what it means for the backup, for the code lens and the status item. */
export function describePrediction(analysis: AnalysisResult): string {
  const prediction = `${describeOutcome(analysis.outcome)} · ${describeBackupFlow(analysis.backup)}`;
  // The agent's code stands; over scripts that quiesce nothing it must not read as plain success.
  return analysis.consistencyNotAchieved ? `${prediction} · ${describeConsistency(analysis.consistencyNotAchieved)}` : prediction;
}

function effectiveValuesLens(analysis: AnalysisResult): string | undefined {
  const effective = analysis.effective;
  if (!effective) return undefined;
  const timeout = effective.timeoutLimitSeconds === null ? l10n.t('no time limit') : l10n.t('timeout {0} s', effective.timeoutLimitSeconds);
  return l10n.t('{0} · poll {1} s · freeze {2} · continue on failure {3}', timeout, effective.pollSeconds, String(effective.fsFreezeEnabled), String(effective.continueBackupOnFailure));
}

/** Run by the client: opens the predicted run (`vmsnapshot/predictedRunText`) beside the config. */
export const SHOW_PREDICTION_COMMAND = 'vmsnapshot.showPrediction';

/**
 * Lenses above the first line: the predicted result, then the values the agent really uses.
 * Clicking either opens the whole predicted run.
 */
export function outcomeLenses(analysis: AnalysisResult, uri: string): CodeLens[] {
  const range = Range.create(0, 0, 0, 0);
  const lens = (title: string): CodeLens => ({ range, command: { title, tooltip: l10n.t('Show the predicted run'), command: SHOW_PREDICTION_COMMAND, arguments: [uri] } });
  const lenses: CodeLens[] = [lens(describePrediction(analysis))];
  if (analysis.agentFiles) lenses.push(lens(describeAgentPath(analysis.agentFiles)));
  const effective = effectiveValuesLens(analysis);
  // On the workload path the config's values are not used at all.
  if (effective && analysis.agentFiles?.path !== 'workload') lenses.push(lens(effective));
  return lenses;
}
