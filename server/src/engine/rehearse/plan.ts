import * as l10n from '@vscode/l10n';
import { AgentCode, agentCodeInfo, agentFailure, stageOfCode } from '../agentFailures';
import type { AnalysisResult } from '../analyze';
import { AgentStage, DiagnosticCode } from '../codes';
import type { EffectiveValues } from '../model/effective';
import type { EngineDiagnostic } from '../types';
import type { AgentVerdict } from './agentVerdict';

export type Side = 'pre' | 'post';

/** "pre-script" / "post-script", in the user's language. */
export function scriptName(side: Side): string {
  return side === 'pre' ? l10n.t('pre-script') : l10n.t('post-script');
}

export interface PlannedScript {
  side: Side;
  /** What the agent passes to Popen, with the config's (VM) path. */
  agentArgv: string[];
  /** The same, with the script's path on this machine (they differ under --root). */
  localArgv: string[];
  localPath: string;
}

export interface RunnablePlan {
  runs: true;
  configPath: string;
  pre: PlannedScript;
  post: PlannedScript;
  timeoutSeconds: number;
  timeoutLimitSeconds: number;
  pollSeconds: number;
  effective: EffectiveValues;
}

export interface NothingToRunPlan {
  runs: false;
  configPath: string;
  verdict: AgentVerdict;
  /** Why no script runs, from the engine's own finding where there is one. */
  reason: string;
}

export type RehearsalPlan = RunnablePlan | NothingToRunPlan;

/** The agent would not read this config at all (workload.conf, numberOfPlugins 0, another config path): nothing to rehearse. */
export class RehearsalRefused extends Error {}

/**
 * Whether the engine predicts this code from the config and the files alone, so that no script
 * behaviour can change it: the checks before the run (302–307, 313–317, 304/305), a timeout of 0
 * or less (308) and a crash of the run thread (310/311). A predicted 300/301 comes from what dash
 * will make of a script: running it is exactly what shows whether that holds.
 */
function decidedWithoutScripts(code: AgentCode): boolean {
  if (code === 0) return false;
  if (stageOfCode(code) < AgentStage.run) return true;
  const byConfig = [agentFailure('scriptTimeout', 'pre'), agentFailure('runThreadCrash', 'pre'), agentFailure('runThreadCrash', 'post')];
  return byConfig.some((failure) => failure.agentCode === code);
}

function firstAgentFinding(diagnostics: readonly EngineDiagnostic[], code: number): EngineDiagnostic | undefined {
  return diagnostics.find((diagnostic) => diagnostic.agentCode === code && diagnostic.severity === 'error') ?? diagnostics.find((diagnostic) => diagnostic.agentCode === code);
}

/**
 * Decides from the engine's analysis what a rehearsal runs. Scripts run only when the engine
 * predicts that the agent gets as far as running them and that only their own behaviour decides
 * the result: where it predicts a failure whatever the scripts do (a config it cannot load, a
 * script it refuses, a crash of its run thread), that is the result and nothing runs.
 */
export function planRehearsal(analysis: AnalysisResult & { configPath: string }): RehearsalPlan {
  const ignored = analysis.diagnostics.find((diagnostic) => diagnostic.code === DiagnosticCode.configIgnored);
  if (ignored) throw new RehearsalRefused(l10n.t('Nothing to rehearse: {0}', ignored.message));
  const effective = analysis.effective;
  const code = analysis.outcome.code;
  if (decidedWithoutScripts(code)) {
    const finding = firstAgentFinding(analysis.diagnostics, code);
    return {
      runs: false,
      configPath: analysis.configPath,
      verdict: { agent: agentCodeInfo(code), consistency: analysis.backup.consistency, snapshot: analysis.backup.snapshot },
      reason: finding ? finding.message : l10n.t('The agent stops with {0} {1} before the scripts decide anything.', code, analysis.outcome.name),
    };
  }
  const script = (side: Side): PlannedScript => {
    const found = analysis.scripts.find((candidate) => candidate.side === side);
    const agentArgv = side === 'pre' ? effective?.preScriptArgv : effective?.postScriptArgv;
    if (!found?.localPath || !agentArgv) throw new RehearsalRefused(l10n.t('The {0} cannot be found on this machine: rehearse runs on the VM itself, or with --root over a copy of its files.', scriptName(side)));
    return { side, agentArgv, localArgv: ['sh', found.localPath, ...agentArgv.slice(2)], localPath: found.localPath };
  };
  if (!effective || effective.timeoutInSeconds === null || effective.timeoutLimitSeconds === null) {
    throw new RehearsalRefused(l10n.t('The agent has no usable time limit for this config: run vmsnapshot check on it first.'));
  }
  return {
    runs: true,
    configPath: analysis.configPath,
    pre: script('pre'),
    post: script('post'),
    timeoutSeconds: effective.timeoutInSeconds,
    timeoutLimitSeconds: effective.timeoutLimitSeconds,
    pollSeconds: effective.pollSeconds,
    effective,
  };
}
