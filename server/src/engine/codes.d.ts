/**
 * Every diagnostic code in one place. Where a finding is one of the agent's own failures, the
 * code is the Azure documentation's error name, because that is what users search for; the
 * other codes name what the agent silently does instead of what the user meant.
 */
export declare const DiagnosticCode: {
    readonly incorrectJsonConfigFile: "IncorrectJSONConfigFile";
    readonly incorrectPluginhostFile: "IncorrectPluginhostFile";
    readonly preScriptNotFound: "Pre-ScriptNotFound";
    readonly postScriptNotFound: "Post-ScriptNotFound";
    readonly preScriptPermission: "InsufficientPermissionforPre-Script";
    readonly postScriptPermission: "InsufficientPermissionforPost-Script";
    readonly preScriptTimeout: "Pre-ScriptTimeout";
    readonly postScriptTimeout: "Post-ScriptTimeout";
    readonly pluginConfigNotFound: "PluginConfigNotFound";
    readonly pluginConfigPermission: "PluginConfigPermission";
    readonly agentRunThreadCrash: "AgentRunThreadCrash";
    readonly backupFails: "BackupFails";
    readonly duplicateKey: "DuplicateKey";
    readonly unknownKey: "UnknownKey";
    readonly staleKey: "StaleKey";
    readonly invalidValue: "InvalidValue";
    readonly timeoutCapped: "TimeoutCapped";
    readonly timeoutDefault: "TimeoutDefault";
    readonly timeoutRounded: "TimeoutRounded";
    readonly pollIgnored: "PollTimeIgnored";
    readonly pollTruncated: "PollTimeTruncated";
    readonly paramsSplit: "ParamsSplitIntoCharacters";
    readonly paramConverted: "ParamConverted";
    readonly emptyParam: "EmptyParam";
    readonly retriesIgnored: "RetriesHaveNoEffect";
    readonly relativeScriptPath: "RelativeScriptPath";
    readonly nonFiniteNumber: "NonFiniteNumber";
    readonly booleanAsOther: "NotABoolean";
    readonly configIgnored: "ConfigIgnoredByAgent";
    readonly pluginName: "PluginName";
};
export type DiagnosticCodeValue = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];
export interface AgentCodeInfo {
    code: number;
    name: string;
    /** The Azure documentation's troubleshooting name, where it has one. */
    docName?: string;
    /** True when the portal shows no error: the backup reports success, file-system consistent. */
    silent: boolean;
}
export declare function agentCodeInfo(code: number): AgentCodeInfo;
/** The order in which the agent checks things; the first failure is the one it reports. */
export declare const AgentStage: {
    readonly hostConf: 0;
    readonly configFile: 1;
    readonly configLoad: 2;
    readonly preScript: 3;
    readonly postScript: 4;
    readonly run: 5;
};
export type AgentStageValue = (typeof AgentStage)[keyof typeof AgentStage];
export declare const HOST_CAP_DEFAULT_SECONDS = 1800;
export declare const AGENT_DEFAULT_TIMEOUT_SECONDS = 10;
export declare const AGENT_DEFAULT_POLL_SECONDS = 3;
export declare const CONFIG_FILE_NAME = "VMSnapshotScriptPluginConfig.json";
export declare const CONFIG_VM_PATH = "/etc/azure/VMSnapshotScriptPluginConfig.json";
export declare const HOST_CONF_VM_PATH = "/etc/azure/VMSnapshotPluginHost.conf";
export declare const WORKLOAD_CONF_VM_PATH = "/etc/azure/workload.conf";
