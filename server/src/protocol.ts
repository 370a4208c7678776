/**
 * The custom messages between the VS Code client and this server, typed once and imported by
 * both sides, so that a renamed field is a compile error on both.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { AgentOutcome, BackupFlow, EffectiveValues } from './engine';
import type { ConsistencyNotAchieved } from './engine/scripts/behaviour/verdict';

export interface OutcomeParams {
  /** A config, or a script some config names (which then shows that config's result). */
  uri: string;
  /** The predicted run in words, for the language status item. */
  text: string;
  code: number;
  severity: 'ok' | 'error';
  /** For a script: the config whose result this is. */
  configUri?: string;
}

/** Sent after each analysis of a config, for it and for each script it names. */
export const OutcomeNotification = new NotificationType<OutcomeParams>('vmsnapshot/outcome');

export interface TrustParams {
  trusted?: boolean;
}

/** The client's workspace trust changed: executables named by settings may (or may not) run. */
export const TrustNotification = new NotificationType<TrustParams>('vmsnapshot/trust');

export interface ConfigDocumentParams {
  uri: string;
}

export interface PredictedRun {
  /** With `consistencyNotAchieved` when an error-level behaviour rule fires. */
  agent: AgentOutcome & { consistencyNotAchieved?: ConsistencyNotAchieved };
  backup: BackupFlow;
  effective: EffectiveValues | null;
}

/** The predicted run of an open config: the agent's result, the backup flow, the values it uses. */
export const PredictedRunRequest = new RequestType<ConfigDocumentParams, PredictedRun, void>('vmsnapshot/predictedRun');

export interface PredictedRunText {
  /** The predicted run of the config in markdown: outcome, path taken, values, command lines. */
  markdown: string;
}

/** What the code lens opens: the predicted run of an open config, in the display language. */
export const PredictedRunTextRequest = new RequestType<ConfigDocumentParams, PredictedRunText, void>('vmsnapshot/predictedRunText');

/** The timeline of the VM's last backup, read from the agent's own files where the server runs. */
export const ExplainVmRequest = new RequestType0<string, void>('vmsnapshot/explainVm');

export interface RedactParams {
  text: string;
}

/** A log or status text without its secrets, to paste into a public issue. */
export const RedactRequest = new RequestType<RedactParams, string, void>('vmsnapshot/redact');

export interface VmOwnConfigParams {
  /** A file open in the editor; absent to ask only where the agent's config is. */
  uri?: string;
}

export interface VmOwnConfigResult {
  /** The file is the script config the agent on this machine reads (the only one rehearse runs). */
  vmOwn: boolean;
  /** The config the agent on this machine reads, and whether it is there. */
  agentConfig: string;
  agentConfigExists: boolean;
}

/** Whether a file is the VM's own script config, where the server (and the extension host) run. */
export const VmOwnConfigRequest = new RequestType<VmOwnConfigParams, VmOwnConfigResult, void>('vmsnapshot/vmOwnConfig');
