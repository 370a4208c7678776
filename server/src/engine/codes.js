"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.WORKLOAD_CONF_VM_PATH = exports.HOST_CONF_VM_PATH = exports.CONFIG_VM_PATH = exports.CONFIG_FILE_NAME = exports.AGENT_DEFAULT_POLL_SECONDS = exports.AGENT_DEFAULT_TIMEOUT_SECONDS = exports.HOST_CAP_DEFAULT_SECONDS = exports.AgentStage = exports.DiagnosticCode = void 0;
exports.agentCodeInfo = agentCodeInfo;
/**
 * Every diagnostic code in one place. Where a finding is one of the agent's own failures, the
 * code is the Azure documentation's error name, because that is what users search for; the
 * other codes name what the agent silently does instead of what the user meant.
 */
exports.DiagnosticCode = {
    // The docs' names (the agent fails, or falls back without saying so).
    incorrectJsonConfigFile: 'IncorrectJSONConfigFile',
    incorrectPluginhostFile: 'IncorrectPluginhostFile',
    preScriptNotFound: 'Pre-ScriptNotFound',
    postScriptNotFound: 'Post-ScriptNotFound',
    preScriptPermission: 'InsufficientPermissionforPre-Script',
    postScriptPermission: 'InsufficientPermissionforPost-Script',
    preScriptTimeout: 'Pre-ScriptTimeout',
    postScriptTimeout: 'Post-ScriptTimeout',
    // Agent failures the docs do not name.
    pluginConfigNotFound: 'PluginConfigNotFound',
    pluginConfigPermission: 'PluginConfigPermission',
    agentRunThreadCrash: 'AgentRunThreadCrash',
    backupFails: 'BackupFails',
    // What the agent silently does differently.
    duplicateKey: 'DuplicateKey',
    unknownKey: 'UnknownKey',
    staleKey: 'StaleKey',
    invalidValue: 'InvalidValue',
    timeoutCapped: 'TimeoutCapped',
    timeoutDefault: 'TimeoutDefault',
    timeoutRounded: 'TimeoutRounded',
    pollIgnored: 'PollTimeIgnored',
    pollTruncated: 'PollTimeTruncated',
    paramsSplit: 'ParamsSplitIntoCharacters',
    paramConverted: 'ParamConverted',
    emptyParam: 'EmptyParam',
    retriesIgnored: 'RetriesHaveNoEffect',
    relativeScriptPath: 'RelativeScriptPath',
    nonFiniteNumber: 'NonFiniteNumber',
    booleanAsOther: 'NotABoolean',
    configIgnored: 'ConfigIgnoredByAgent',
    pluginName: 'PluginName',
};
const agentCodes = [
    { code: 0, name: 'Success', silent: false },
    { code: 300, name: 'FailedPrepostPreScriptFailed', docName: 'Pre-ScriptExecutionFailed', silent: false },
    { code: 301, name: 'FailedPrepostPostScriptFailed', docName: 'Post-ScriptExecutionFailed', silent: false },
    { code: 302, name: 'FailedPrepostPreScriptNotFound', docName: 'Pre-ScriptNotFound', silent: false },
    { code: 303, name: 'FailedPrepostPostScriptNotFound', docName: 'Post-ScriptNotFound', silent: false },
    { code: 304, name: 'FailedPrepostPluginhostConfigParsing', docName: 'IncorrectPluginhostFile', silent: true },
    { code: 305, name: 'FailedPrepostPluginConfigParsing', docName: 'IncorrectJSONConfigFile', silent: true },
    { code: 306, name: 'FailedPrepostPreScriptPermissionError', docName: 'InsufficientPermissionforPre-Script', silent: false },
    { code: 307, name: 'FailedPrepostPostScriptPermissionError', docName: 'InsufficientPermissionforPost-Script', silent: false },
    { code: 308, name: 'FailedPrepostPreScriptTimeout', docName: 'Pre-ScriptTimeout', silent: false },
    { code: 309, name: 'FailedPrepostPostScriptTimeout', docName: 'Post-ScriptTimeout', silent: false },
    { code: 310, name: 'FailedPrepostPluginhostPreTimeout', silent: false },
    { code: 311, name: 'FailedPrepostPluginhostPostTimeout', silent: false },
    { code: 313, name: 'FailedPrepostPluginhostConfigNotFound', docName: 'IncorrectPluginhostFile', silent: true },
    { code: 314, name: 'FailedPrepostPluginhostConfigPermissionError', docName: 'IncorrectPluginhostFile', silent: true },
    { code: 316, name: 'FailedPrepostPluginConfigNotFound', silent: true },
    { code: 317, name: 'FailedPrepostPluginConfigPermissionError', silent: false },
];
function agentCodeInfo(code) {
    const info = agentCodes.find((entry) => entry.code === code);
    if (!info)
        throw new Error(`unknown agent code ${code}`);
    return info;
}
/** The order in which the agent checks things; the first failure is the one it reports. */
exports.AgentStage = {
    hostConf: 0,
    configFile: 1,
    configLoad: 2,
    preScript: 3,
    postScript: 4,
    run: 5,
};
exports.HOST_CAP_DEFAULT_SECONDS = 1800;
exports.AGENT_DEFAULT_TIMEOUT_SECONDS = 10;
exports.AGENT_DEFAULT_POLL_SECONDS = 3;
exports.CONFIG_FILE_NAME = 'VMSnapshotScriptPluginConfig.json';
exports.CONFIG_VM_PATH = '/etc/azure/VMSnapshotScriptPluginConfig.json';
exports.HOST_CONF_VM_PATH = '/etc/azure/VMSnapshotPluginHost.conf';
exports.WORKLOAD_CONF_VM_PATH = '/etc/azure/workload.conf';
//# sourceMappingURL=codes.js.map