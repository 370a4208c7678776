import * as l10n from '@vscode/l10n';

/**
 * The sections and keys the agent reads from its three INI files, with what it does with each:
 * the one source of truth for completion, hover, the "nobody reads this" check and scaffolding.
 * Facts from agent-config-files.md §2–§4 (the agent's readers, named in each text).
 */
export type AgentIniKind = 'workload' | 'hostConf' | 'vmbackup';

export const AGENT_INI_VM_PATHS: Record<AgentIniKind, string> = {
  workload: '/etc/azure/workload.conf',
  hostConf: '/etc/azure/VMSnapshotPluginHost.conf',
  vmbackup: '/etc/azure/vmbackup.conf',
};

export const AGENT_INI_FILE_NAMES: Record<AgentIniKind, string> = {
  workload: 'workload.conf',
  hostConf: 'VMSnapshotPluginHost.conf',
  vmbackup: 'vmbackup.conf',
};

export interface IniKeySpec {
  /** Spelled as the agent asks for it; the parser compares it lower-cased. */
  name: string;
  /** What the agent uses when the key is absent, as text; undefined where there is none. */
  defaultValue?: string;
  /** Values worth offering in completion, the agent's exact spellings. */
  values?: readonly string[];
  /** What the agent does with it, for hovers. */
  describe: () => string;
}

export interface IniSectionSpec {
  /** Case-sensitive, as the agent asks for it. */
  name: string;
  describe: () => string;
  keys: readonly IniKeySpec[];
}

export const WORKLOAD_NAMES = ['mysql', 'mariadb', 'postgres', 'oracle'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

const WORKLOAD_SECTIONS: readonly IniSectionSpec[] = [
  {
    name: 'workload',
    describe: () => l10n.t('Read on every backup (WorkloadPatch.confParser). An accepted workload_name here makes the agent run its own database framework and ignore VMSnapshotScriptPluginConfig.json entirely.'),
    keys: [
      { name: 'workload_name', values: WORKLOAD_NAMES, describe: () => l10n.t('One of mysql, mariadb, postgres or oracle, exactly (case-sensitive, no quotes). Any other value makes the agent ignore this file silently and use the script config.') },
      { name: 'command_path', defaultValue: '', describe: () => l10n.t('Folder of the database client; the agent appends "/". Absent: the client comes from PATH. Present but empty: "/", so the agent runs /mysql, /psql or /sqlplus.') },
      { name: 'credString', defaultValue: '', describe: () => l10n.t('Pasted verbatim into the client\'s command line. For MySQL/MariaDB the whole command line, password included, is written to the extension log, which is uploaded.') },
      { name: 'linux_user', defaultValue: 'root', describe: () => l10n.t('OS user for "su - <user>" (Oracle, PostgreSQL) or "sudo -u <user>" (MySQL, MariaDB). Present but empty breaks MySQL\'s command and runs Oracle/PostgreSQL as root.') },
      { name: 'ipc_folder', describe: () => l10n.t('MySQL/MariaDB only: where the lock session writes azbackupIPC.txt (writable by mysqld, allowed by secure_file_priv). Missing for MySQL: 507. Set for Oracle/PostgreSQL: post always reports 510.') },
      { name: 'timeout', defaultValue: '90', describe: () => l10n.t('Seconds. MySQL: how long the read lock is held (SELECT SLEEP). Oracle/PostgreSQL: when the safety-net daemon ends backup mode by itself.') },
      { name: 'role', defaultValue: 'master', values: ['master', 'slave'], describe: () => l10n.t('master or slave, exactly. slave exists only for MySQL/MariaDB (503 otherwise); anything else is 502.') },
      { name: 'enforceSlaveOnly', defaultValue: '0', values: ['0', '1'], describe: () => l10n.t('An integer. Not 0 with role master: 502. Empty: int("") fails in pre, 500.') },
      { name: 'dbnames', describe: () => l10n.t('If present at all, pre and post call empty functions: nothing is quiesced, yet the backup is reported application consistent.') },
      { name: 'customScriptEnabled', defaultValue: '0', values: ['0', '1'], describe: () => l10n.t('1 selects the extension\'s CustomScripts folder, which ships without the pre/post SQL files. Empty or not an integer: 501.') },
      { name: 'configuration_path', defaultValue: '', describe: () => l10n.t('Oracle only: an oratab-style file; each SID:ORACLE_HOME line is one instance put in backup mode.') },
    ],
  },
  {
    name: 'logbackup',
    describe: () => l10n.t('Oracle only: its presence makes post call LogBackupPatch, which adds a cron line running OracleLogBackup.py — a module that fails to import as shipped.'),
    keys: [
      { name: 'parameterFilePath', describe: () => l10n.t('Read by LogBackupPatch (Oracle log backup).') },
      { name: 'baseLocation', describe: () => l10n.t('Read by LogBackupPatch (Oracle log backup).') },
      { name: 'crontabLocation', describe: () => l10n.t('Checked for "OracleLogBackup" before the cron line is added; unset, a duplicate line is appended after every Oracle post.') },
    ],
  },
];

const HOST_CONF_SECTIONS: readonly IniSectionSpec[] = [
  {
    name: 'pre_post',
    describe: () => l10n.t('Read by PluginHost.load_modules before the script config. The section name is case-sensitive: [Pre_Post] is not found, no plugin is loaded, and the backup is reported application consistent with no script run.'),
    keys: [
      { name: 'timeoutInSeconds', defaultValue: '1800', describe: () => l10n.t('Cap on every plugin\'s timeout: min(value, 1800), so it can only lower it. Not an integer: 304.') },
      { name: 'numberOfPlugins', defaultValue: '0', values: ['1'], describe: () => l10n.t('How many pluginName<i>/pluginPath<i>/pluginConfigPath<i> triples are loaded. 0 or absent: no script runs, yet the backup is reported application consistent.') },
      { name: 'pluginName0', values: ['ScriptRunner'], describe: () => l10n.t('Python module imported as root. ScriptRunner is the agent\'s own; any other name loads <pluginPath>/<name>.py, unchecked.') },
      { name: 'pluginPath0', defaultValue: undefined, values: ['/etc/azure'], describe: () => l10n.t('Appended to Python\'s module path.') },
      { name: 'pluginConfigPath0', values: ['/etc/azure/VMSnapshotScriptPluginConfig.json'], describe: () => l10n.t('The script config the agent reads instead of any other: it must be root\'s with no group/other permissions (317), else 316 when missing.') },
    ],
  },
];

const VMBACKUP_SECTIONS: readonly IniSectionSpec[] = [
  {
    name: 'SnapshotThread',
    describe: () => l10n.t('Every key the agent reads through HandlerUtil.get_value_from_configfile lives here, re-read on every use. The section name is case-sensitive.'),
    keys: [
      { name: 'timeout', defaultValue: '60', describe: () => l10n.t('Maximum seconds the file systems stay frozen (first argument of safefreeze). Past it the binary thaws by itself and the run ends in error. 0 or less: the binary refuses to start.') },
      { name: 'SafeFreezeWaitInSeconds', defaultValue: '66', describe: () => l10n.t('How long the agent waits for the "frozen" signal before 122 "freeze timed-out". Below about 6 it times out before the binary starts.') },
      { name: 'MountsToSkip', defaultValue: '', describe: () => l10n.t('Mount points not to freeze, split on "," with no trimming: "/data, /logs" skips only /data. "/" can never be skipped.') },
      { name: 'OnAppFailureDoFsFreeze', describe: () => l10n.t('No effect at any value: the agent compares the string it reads with the booleans True and False.') },
      { name: 'OnAppSuccessDoFsFreeze', describe: () => l10n.t('No effect at any value: the agent compares the string it reads with the booleans True and False.') },
      { name: 'SnapshotMethod', values: ['firstHostThenGuest', 'firstGuestThenHost', 'onlyHost', 'onlyGuest'], describe: () => l10n.t('Overrides the method the backup service asks for. Other values: firstHostThenGuest.') },
      { name: 'seqsnapshot', defaultValue: '0', values: ['0', '1', '2'], describe: () => l10n.t('1 or 2: sequential guest snapshots. The agent writes 1 itself after slow parallel snapshots, rewriting this file without comments and with lower-cased keys.') },
      { name: 'onlyLocalFilesystems', defaultValue: 'False', values: ['True', 'False'], describe: () => l10n.t('True/true: df -kl instead of df -k for the billing size (after the thaw). Does not change what is frozen.') },
      { name: 'LoggingOff', defaultValue: '0', values: ['0', '1'], describe: () => l10n.t('1: log lines during the freeze are dropped instead of kept in memory.') },
      { name: 'WriteLog', defaultValue: 'True', values: ['True'], describe: () => l10n.t('Logging stays on only for exactly True (or empty): true, yes or 1 switch all extension logging off.') },
      { name: 'UploadStatusAndLog', defaultValue: 'True', values: ['True'], describe: () => l10n.t('Status and log blobs are uploaded only for exactly True (or empty): true stops the status-blob upload.') },
      { name: 'disable_logging', defaultValue: '0', values: ['0', '1'], describe: () => l10n.t('Not 0: no telemetry event logger.') },
      { name: 'sudo_off', defaultValue: '0', values: ['0', '1'], describe: () => l10n.t('1: lsscsi and pvs run without sudo for the billing size.') },
    ],
  },
  {
    name: 'lsblkUser',
    describe: () => l10n.t('Runs lsblk as another user (su - <user>), the code\'s workaround for lsblk hanging as root on SUSE.'),
    keys: [{ name: 'username', describe: () => l10n.t('The user lsblk runs as.') }],
  },
  {
    name: 'Monitor',
    describe: () => l10n.t('A debugging monitor started by the agent, as root.'),
    keys: [
      { name: 'Run', defaultValue: 'False', values: ['True', 'False'], describe: () => l10n.t('True starts <Location>/msft_snap_monit as root. Not a boolean: the keys after it are not read.') },
      { name: 'Strace', defaultValue: 'False', values: ['True', 'False'], describe: () => l10n.t('True adds --strace to the monitor.') },
      { name: 'Location', describe: () => l10n.t('Folder of the monitor binary; the shipped default holds only Go sources, so starting it fails.') },
    ],
  },
];

export const AGENT_INI_SECTIONS: Record<AgentIniKind, readonly IniSectionSpec[]> = {
  workload: WORKLOAD_SECTIONS,
  hostConf: HOST_CONF_SECTIONS,
  vmbackup: VMBACKUP_SECTIONS,
};

/** Keys that look like settings but that no code of the agent reads, with why users write them. */
export const KEYS_NOBODY_READS: Record<AgentIniKind, Record<string, () => string>> = {
  workload: {},
  hostConf: {},
  vmbackup: {
    fsfreeze: () => l10n.t('fsfreeze appears in the sample file and on the troubleshooting page, but no code of the agent reads it.'),
    isanysnapshotfailed: () => l10n.t('isanysnapshotfailed appears in the sample file, but no code of the agent reads it.'),
    async_event_logging: () => l10n.t('The agent looks this key up as "async_event_logging " with a trailing space, which never matches: it is always 0.'),
  },
};

/** The section spec, matched exactly (the agent's section names are case-sensitive). */
export function findSectionSpec(kind: AgentIniKind, section: string): IniSectionSpec | undefined {
  return AGENT_INI_SECTIONS[kind].find((spec) => spec.name === section);
}

/** The key spec, matched lower-cased as the parser does; `pluginName3` matches `pluginName0`. */
export function findKeySpec(kind: AgentIniKind, section: string, key: string): IniKeySpec | undefined {
  const normalized = kind === 'hostConf' ? key.toLowerCase().replace(/^(pluginname|pluginpath|pluginconfigpath)\d+$/, '$10') : key.toLowerCase();
  return findSectionSpec(kind, section)?.keys.find((spec) => spec.name.toLowerCase() === normalized);
}

/** Which of the agent's INI files a path is, by its file name. */
export function agentIniKindOf(filePath: string): AgentIniKind | undefined {
  const base = filePath.slice(filePath.lastIndexOf('/') + 1);
  return (Object.keys(AGENT_INI_FILE_NAMES) as AgentIniKind[]).find((kind) => AGENT_INI_FILE_NAMES[kind] === base);
}
