import * as l10n from '@vscode/l10n';
import type { AnalysisResult } from '../engine/analyze';
import { agentCodeInfo, AgentCode } from '../engine/agentFailures';
import { AgentStage, AgentStageValue, HOST_CONF_VM_PATH } from '../engine/codes';
import { describePrediction } from './outcomeLens';

/** The agent's checks in its own order (agent-semantics: "Validation before running"). */
function stageLabel(stage: AgentStageValue, analysis: AnalysisResult): string {
  const pre = analysis.model.preScript?.vmPath;
  const post = analysis.model.postScript?.vmPath;
  switch (stage) {
    case AgentStage.hostConf:
      return l10n.t('The plugin host reads {0} (or the copy shipped with the agent)', HOST_CONF_VM_PATH);
    case AgentStage.configFile:
      return l10n.t('The config file is there, owned by root, with no group or other permissions');
    case AgentStage.configLoad:
      return l10n.t('The config loads: strict JSON, both script locations, values the loader can use');
    case AgentStage.preScript:
      return pre ? l10n.t('The pre-script {0} is a file owned by root, with no group or other permissions', pre) : l10n.t('The pre-script is a file owned by root, with no group or other permissions');
    case AgentStage.postScript:
      return post ? l10n.t('The post-script {0} is a file owned by root, with no group or other permissions', post) : l10n.t('The post-script is a file owned by root, with no group or other permissions');
    case AgentStage.run:
      return l10n.t('The pre-script runs, the snapshot is taken, the post-script runs');
  }
}

function codeName(code: AgentCode): string {
  const info = agentCodeInfo(code);
  return info.docName ? `${code} ${info.name} (${info.docName})` : `${code} ${info.name}`;
}

/** Shell-like quoting, so that the command line reads as the agent starts it. */
function quoteArg(arg: string): string {
  return /^[\w./=:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function pathTaken(analysis: AnalysisResult): string[] {
  const firstStage = analysis.failures.reduce<AgentStageValue | undefined>((first, failure) => (first === undefined || failure.stage < first ? failure.stage : first), undefined);
  const stages = Object.values(AgentStage) as AgentStageValue[];
  return stages.map((stage, index) => {
    const label = stageLabel(stage, analysis);
    let status: string;
    if (firstStage === undefined || stage < firstStage) status = stage === AgentStage.run ? l10n.t('✓ assuming the scripts exit 0 in time') : '✓';
    else if (stage === firstStage) status = l10n.t('✗ stops here: {0}', codeName(analysis.outcome.code));
    else status = l10n.t('— not reached');
    return `${index + 1}. ${label}: **${status}**`;
  });
}

function effectiveRows(analysis: AnalysisResult): string[] {
  const effective = analysis.effective;
  if (!effective) return [l10n.t('The agent stops before it uses any value of this config.')];
  const limit = effective.timeoutLimitSeconds === null ? l10n.t('no time limit') : `${effective.timeoutLimitSeconds} s`;
  const rows: Array<[string, string]> = [
    ['timeoutInSeconds', l10n.t('{0} (checked every {1} s; host cap {2} s)', limit, effective.pollSeconds, effective.hostCapSeconds)],
    ['ScriptsExecutionPollTimeSeconds', String(effective.pollSeconds)],
    ['fsFreezeEnabled', String(effective.fsFreezeEnabled)],
    ['continueBackupOnFailure', String(effective.continueBackupOnFailure)],
    ['preScriptNoOfRetries / postScriptNoOfRetries', l10n.t('{0} (the agent never runs a script again)', effective.preScriptNoOfRetries)],
  ];
  return [`| ${l10n.t('Key')} | ${l10n.t('What the agent uses')} |`, '| --- | --- |', ...rows.map(([key, value]) => `| \`${key}\` | ${value} |`)];
}

function commandLines(analysis: AnalysisResult): string[] {
  const effective = analysis.effective;
  if (!effective) return [l10n.t('The agent stops before it builds the command lines.')];
  const line = (argv: string[] | null, crash: string) => (argv ? `\`${argv.map(quoteArg).join(' ')}\`` : crash);
  return [
    `- ${l10n.t('Before the snapshot:')} ${line(effective.preScriptArgv, l10n.t('building it crashes the run thread'))}`,
    `- ${l10n.t('After the snapshot:')} ${line(effective.postScriptArgv, l10n.t('building it crashes the run thread'))}`,
  ];
}

/** The findings that are agent failures, first the one the agent reports. */
function failureFindings(analysis: AnalysisResult): string[] {
  const found = analysis.diagnostics.filter((diagnostic) => diagnostic.agentCode !== undefined && diagnostic.file === undefined);
  found.sort((a, b) => Number(b.agentCode === analysis.outcome.code) - Number(a.agentCode === analysis.outcome.code));
  return found.map((diagnostic) => `- ${l10n.t('Line {0}', diagnostic.range.start.line + 1)}, \`${diagnostic.code}\` (${diagnostic.agentCode}): ${diagnostic.message}`);
}

/**
 * The predicted run in words, for the view the code lens opens: what the agent reports, the
 * checks it passes until it stops, the values it uses and the command lines it starts. Built
 * from the same analysis as the diagnostics and the lens, so all three tell one story.
 */
export function describePredictedRun(analysis: AnalysisResult, fileName: string): string {
  const outcome = analysis.outcome;
  const portal = outcome.code === 0
    ? l10n.t('The portal shows an application-consistent backup.')
    : outcome.silent
      ? l10n.t('The portal shows no error: the backup reports success, file-system consistent only.')
      : l10n.t('The portal shows this error; the backup falls back to file-system consistency.');
  const findings = failureFindings(analysis);
  return [
    `# ${l10n.t('Predicted run of {0}', fileName)}`,
    '',
    `**${describePrediction(analysis)}**. ${portal}`,
    '',
    `## ${l10n.t('Path taken')}`,
    '',
    ...pathTaken(analysis),
    '',
    `## ${l10n.t('Values the agent uses')}`,
    '',
    ...effectiveRows(analysis),
    '',
    `## ${l10n.t('Command lines')}`,
    '',
    ...commandLines(analysis),
    ...(findings.length ? ['', `## ${l10n.t('Agent failures in this config')}`, '', ...findings] : []),
    '',
  ].join('\n');
}
