import { AGENT_CODES, AgentCode, agentCodeInfo } from '../agentFailures';

/**
 * The agent's status codes as they appear in a backup run's log and status file
 * (`common.py` CommonVariables and `ExtensionErrorCodeHelper.py`). The `name` is the one the
 * log prints in ` StatusCode.<Name>,` and in telemetry `extErrorCode`; `alias` is the other
 * module's name for the same number where they differ.
 */
export interface AgentStatusCode {
  code: number;
  name: string;
  alias?: string;
}

const TABLE: readonly AgentStatusCode[] = [
  { code: 0, name: 'success_appconsistent' },
  { code: 1, name: 'success' },
  { code: 2, name: 'error' },
  { code: 3, name: 'SuccessAlreadyProcessedInput' },
  { code: 4, name: 'ExtensionTempTerminalState' },
  { code: 11, name: 'error_parameter' },
  { code: 12, name: 'error_12' },
  { code: 13, name: 'error_wrong_time' },
  { code: 14, name: 'error_same_taskid' },
  { code: 15, name: 'error_http_failure' },
  { code: 16, name: 'FailedHandlerGuestAgentCertificateNotFound' },
  { code: 17, name: 'FailedInvalidDataDiskLunList' },
  { code: 76, name: 'FailedRetryableSnapshotFailedNoNetwork' },
  { code: 85, name: 'FailedSnapshotLimitReached' },
  { code: 121, name: 'FailedRetryableFsFreezeFailed', alias: 'FailedFsFreezeFailed' },
  { code: 122, name: 'FailedRetryableFsFreezeTimeout', alias: 'FailedFsFreezeTimeout' },
  { code: 123, name: 'FailedRetryableUnableToOpenMount', alias: 'FailedUnableToOpenMount' },
  { code: 124, name: 'FailedSafeFreezeBinaryNotFound' },
  { code: 173, name: 'FailedRetryableSnapshotRateExceeded' },
  { code: 300, name: 'FailedPrepostPreScriptFailed' },
  { code: 301, name: 'FailedPrepostPostScriptFailed' },
  { code: 302, name: 'FailedPrepostPreScriptNotFound' },
  { code: 303, name: 'FailedPrepostPostScriptNotFound' },
  { code: 304, name: 'FailedPrepostPluginhostConfigParsing' },
  { code: 305, name: 'FailedPrepostPluginConfigParsing' },
  { code: 306, name: 'FailedPrepostPreScriptPermissionError' },
  { code: 307, name: 'FailedPrepostPostScriptPermissionError' },
  { code: 308, name: 'FailedPrepostPreScriptTimeout' },
  { code: 309, name: 'FailedPrepostPostScriptTimeout' },
  { code: 310, name: 'FailedPrepostPluginhostPreTimeout' },
  { code: 311, name: 'FailedPrepostPluginhostPostTimeout' },
  { code: 312, name: 'FailedPrepostCheckSumMismatch' },
  { code: 313, name: 'FailedPrepostPluginhostConfigNotFound' },
  { code: 314, name: 'FailedPrepostPluginhostConfigPermissionError' },
  { code: 315, name: 'FailedPrepostPluginhostConfigOwnershipError' },
  { code: 316, name: 'FailedPrepostPluginConfigNotFound' },
  { code: 317, name: 'FailedPrepostPluginConfigPermissionError' },
  { code: 318, name: 'FailedPrepostPluginConfigOwnershipError' },
  { code: 402, name: 'FailedGuestAgentInvokedCommandTooLate' },
  { code: 500, name: 'FailedWorkloadPreError' },
  { code: 501, name: 'FailedWorkloadConfParsingError' },
  { code: 502, name: 'FailedWorkloadInvalidRole' },
  { code: 503, name: 'FailedWorkloadInvalidWorkloadName' },
  { code: 504, name: 'FailedWorkloadPostError' },
  { code: 505, name: 'FailedWorkloadAuthorizationMissing' },
  { code: 506, name: 'FailedWorkloadConnectionError' },
  { code: 507, name: 'FailedWorkloadIPCDirectoryMissing' },
  { code: 508, name: 'FailedWorkloadDatabaseStatusChanged' },
  { code: 509, name: 'FailedWorkloadQuiescingError' },
  { code: 510, name: 'FailedWorkloadQuiescingTimeout' },
  { code: 511, name: 'FailedWorkloadDatabaseInNoArchiveLog' },
  { code: 512, name: 'FailedWorkloadLogModeChanged' },
  { code: 556, name: 'FailedHostSnapshotRemoteServerError' },
  { code: 761, name: 'FailedRetryableSnapshotFailedRestrictedNetwork' },
];

const BY_CODE = new Map(TABLE.map((entry) => [entry.code, entry]));
const BY_NAME = new Map<string, AgentStatusCode>();
for (const entry of TABLE) {
  BY_NAME.set(entry.name.toLowerCase(), entry);
  if (entry.alias) BY_NAME.set(entry.alias.toLowerCase(), entry);
}

export function statusCodeByNumber(code: number): AgentStatusCode | undefined {
  return BY_CODE.get(code);
}

export function statusCodeByName(name: string): AgentStatusCode | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** The name users search for: the Azure doc's troubleshooting name where it has one, else the agent's. */
export function searchableName(code: number): string {
  // The script-path codes have the doc's names in the engine's agent-failure table; the others only the agent's.
  if ((AGENT_CODES as readonly number[]).includes(code)) {
    const docName = agentCodeInfo(code as AgentCode).docName;
    if (docName) return docName;
  }
  return BY_CODE.get(code)?.name ?? String(code);
}
