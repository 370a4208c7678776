/**
 * The agent's failures, one row each: the agent's numeric code and its names, and for every way
 * the engine predicts it, the diagnostic code, the agent code per side (pre/post) and the stage at
 * which the agent stops. Call sites name a row and a side; they never write a 30x literal, so a
 * code the agent does not have is a type error.
 */
import { AgentStage, AgentStageValue, DiagnosticCode, DiagnosticCodeValue } from './codes';

/** Every result code the script path of the agent reports. */
export type AgentCode = 0 | 300 | 301 | 302 | 303 | 304 | 305 | 306 | 307 | 308 | 309 | 310 | 311 | 313 | 314 | 316 | 317;

export type Side = 'pre' | 'post';

export interface AgentCodeInfo {
  code: AgentCode;
  name: string;
  /** The Azure documentation's troubleshooting name, where it has one. */
  docName?: string;
  /** True when the portal shows no error: the backup reports success, file-system consistent. */
  silent: boolean;
}

const CODE_INFO: { readonly [code in AgentCode]: Omit<AgentCodeInfo, 'code'> } = {
  0: { name: 'Success', silent: false },
  300: { name: 'FailedPrepostPreScriptFailed', docName: 'Pre-ScriptExecutionFailed', silent: false },
  301: { name: 'FailedPrepostPostScriptFailed', docName: 'Post-ScriptExecutionFailed', silent: false },
  302: { name: 'FailedPrepostPreScriptNotFound', docName: 'Pre-ScriptNotFound', silent: false },
  303: { name: 'FailedPrepostPostScriptNotFound', docName: 'Post-ScriptNotFound', silent: false },
  304: { name: 'FailedPrepostPluginhostConfigParsing', docName: 'IncorrectPluginhostFile', silent: true },
  305: { name: 'FailedPrepostPluginConfigParsing', docName: 'IncorrectJSONConfigFile', silent: true },
  306: { name: 'FailedPrepostPreScriptPermissionError', docName: 'InsufficientPermissionforPre-Script', silent: false },
  307: { name: 'FailedPrepostPostScriptPermissionError', docName: 'InsufficientPermissionforPost-Script', silent: false },
  308: { name: 'FailedPrepostPreScriptTimeout', docName: 'Pre-ScriptTimeout', silent: false },
  309: { name: 'FailedPrepostPostScriptTimeout', docName: 'Post-ScriptTimeout', silent: false },
  310: { name: 'FailedPrepostPluginhostPreTimeout', silent: false },
  311: { name: 'FailedPrepostPluginhostPostTimeout', silent: false },
  313: { name: 'FailedPrepostPluginhostConfigNotFound', docName: 'IncorrectPluginhostFile', silent: true },
  314: { name: 'FailedPrepostPluginhostConfigPermissionError', docName: 'IncorrectPluginhostFile', silent: true },
  316: { name: 'FailedPrepostPluginConfigNotFound', silent: true },
  317: { name: 'FailedPrepostPluginConfigPermissionError', silent: false },
};

export function agentCodeInfo(code: AgentCode): AgentCodeInfo {
  return { code, ...CODE_INFO[code] };
}

/** Every agent code, in numeric order (for documentation tests and the README). */
export const AGENT_CODES = (Object.keys(CODE_INFO).map(Number) as AgentCode[]).sort((a, b) => a - b);

type PerSide<T> = { readonly pre: T; readonly post: T };

interface FailureRow {
  diagnostic: DiagnosticCodeValue | PerSide<DiagnosticCodeValue>;
  agentCode: AgentCode | PerSide<AgentCode>;
  stage: AgentStageValue | PerSide<AgentStageValue>;
}

const both = <T>(pre: T, post: T): PerSide<T> => ({ pre, post });

/** The failures the engine predicts, by what goes wrong. */
export const AGENT_FAILURES = {
  /** VMSnapshotPluginHost.conf cannot be parsed, or the loader crashes on a value. */
  hostConfParse: { diagnostic: DiagnosticCode.incorrectPluginhostFile, agentCode: 304, stage: AgentStage.hostConf },
  hostConfPermission: { diagnostic: DiagnosticCode.incorrectPluginhostFile, agentCode: 314, stage: AgentStage.hostConf },
  hostConfNotFound: { diagnostic: DiagnosticCode.incorrectPluginhostFile, agentCode: 313, stage: AgentStage.hostConf },
  configNotFound: { diagnostic: DiagnosticCode.pluginConfigNotFound, agentCode: 316, stage: AgentStage.configFile },
  configPermission: { diagnostic: DiagnosticCode.pluginConfigPermission, agentCode: 317, stage: AgentStage.configFile },
  /** json.load fails, a required key is missing, int() rejects the poll time. */
  configParse: { diagnostic: DiagnosticCode.incorrectJsonConfigFile, agentCode: 305, stage: AgentStage.configLoad },
  /** The config's loader crashes on a value (reported as the host conf's parsing code). */
  loaderCrash: { diagnostic: DiagnosticCode.incorrectPluginhostFile, agentCode: 304, stage: AgentStage.configLoad },
  scriptNotFound: {
    diagnostic: both(DiagnosticCode.preScriptNotFound, DiagnosticCode.postScriptNotFound),
    agentCode: both(302, 303),
    stage: both(AgentStage.preScript, AgentStage.postScript),
  },
  scriptPermission: {
    diagnostic: both(DiagnosticCode.preScriptPermission, DiagnosticCode.postScriptPermission),
    agentCode: both(306, 307),
    stage: both(AgentStage.preScript, AgentStage.postScript),
  },
  scriptTimeout: { diagnostic: DiagnosticCode.preScriptTimeout, agentCode: both(308, 309), stage: AgentStage.run },
  scriptFailed: {
    diagnostic: both(DiagnosticCode.preScriptExecutionFailed, DiagnosticCode.postScriptExecutionFailed),
    agentCode: both(300, 301),
    stage: AgentStage.run,
  },
  /** A value crashes the run thread; the plugin host reports its own timeout. */
  runThreadCrash: { diagnostic: DiagnosticCode.agentRunThreadCrash, agentCode: both(310, 311), stage: AgentStage.run },
} as const satisfies Record<string, FailureRow>;

export type AgentFailureKind = keyof typeof AGENT_FAILURES;

/** What the agent stops on: the code it reports and when in its order it finds out. */
export interface PredictedFailure {
  agentCode: AgentCode;
  stage: AgentStageValue;
}

export interface ResolvedFailure extends PredictedFailure {
  diagnostic: DiagnosticCodeValue;
}

function pick<T>(value: T | PerSide<T>, side: Side): T {
  return typeof value === 'object' && value !== null && 'pre' in value ? value[side] : (value as T);
}

/** The row for `kind` on one side; sideless rows ignore the side. */
export function agentFailure(kind: AgentFailureKind, side: Side = 'pre'): ResolvedFailure {
  const row: FailureRow = AGENT_FAILURES[kind];
  return { diagnostic: pick(row.diagnostic, side), agentCode: pick(row.agentCode, side), stage: pick(row.stage, side) };
}

/** The stage a bare agent code belongs to, for results that are known only by their code. */
export function stageOfCode(code: AgentCode): AgentStageValue {
  for (const row of Object.values(AGENT_FAILURES) as FailureRow[]) {
    for (const side of ['pre', 'post'] as const) if (pick(row.agentCode, side) === code) return pick(row.stage, side);
  }
  return AgentStage.run;
}
