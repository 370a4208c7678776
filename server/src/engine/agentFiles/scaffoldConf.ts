import type { WorkloadName } from './catalogue';

/**
 * workload.conf and vmbackup.conf as the agent needs them: only the keys that matter, no empty
 * template keys, no quotes, comments on their own lines (configparser keeps a `# …` after a
 * value). The snippets in snippets/ are these texts (test/unit/agentFileScaffold.test.ts).
 * Comments stay English: they are read on the VM, next to the agent's English log.
 */
export interface ConfFile {
  vmPath: string;
  content: string;
  /** root's and 600: workload.conf may name database users, and nobody else needs to read either. */
  mode: number;
}

const HEADER = [
  '# Read by the Azure backup agent (VMSnapshotLinux) on every backup. Keep it root\'s, mode 600.',
  '# Python configparser rules: no quotes, no comment after a value, no key twice.',
];

const WORKLOAD_BODIES: Record<WorkloadName, string[]> = {
  mysql: [
    'workload_name = mysql',
    '# sudo -u root mysql: root\'s socket login (or /root/.my.cnf) authenticates. Prefer it to',
    '# credString, which the agent writes, password included, to its uploaded log for MySQL.',
    'linux_user = root',
    '# A folder mysqld may write to (secure_file_priv): the lock session writes azbackupIPC.txt there.',
    'ipc_folder = /var/lib/mysql-files',
    '# Seconds the read lock is held (SELECT SLEEP): longer than the snapshot takes.',
    'timeout = 90',
    '# Not undone if the agent dies after pre: SET GLOBAL read_only = ON stays until someone runs',
    '# SET GLOBAL read_only = OFF (no daemon does it). The lock itself ends with the session.',
  ],
  mariadb: [
    'workload_name = mariadb',
    '# sudo -u root mariadb: root\'s socket login (or /root/.my.cnf) authenticates. Prefer it to',
    '# credString, which the agent writes, password included, to its uploaded log.',
    'linux_user = root',
    '# A folder mysqld may write to: install -d -o mysql -g mysql -m 750 /var/lib/mysql-files',
    'ipc_folder = /var/lib/mysql-files',
    '# Seconds the read lock is held (SELECT SLEEP): longer than the snapshot takes.',
    'timeout = 90',
    '# Not undone if the agent dies after pre: SET GLOBAL read_only = ON stays until someone runs',
    '# SET GLOBAL read_only = OFF (no daemon does it). The lock itself ends with the session.',
  ],
  postgres: [
    '# PostgreSQL 14 or older only: the agent\'s SQL calls pg_start_backup/pg_stop_backup, removed',
    '# in PostgreSQL 15, and it never checks the result. On 15 or later use the script config.',
    'workload_name = postgres',
    '# su - postgres -c psql: peer authentication, no password in this file.',
    'linux_user = postgres',
    '# Seconds after which a daemon ends backup mode by itself if post never comes.',
    'timeout = 90',
    '# Not undone if the agent dies after pre: backup mode, until that daemon runs pg_stop_backup().',
  ],
  oracle: [
    'workload_name = oracle',
    '# su - oracle -c sqlplus: the login profile sets ORACLE_HOME/ORACLE_SID and PATH.',
    'linux_user = oracle',
    '# Seconds after which a daemon runs END BACKUP by itself if post never comes.',
    'timeout = 90',
    '# Several instances: an oratab-style file, one SID:ORACLE_HOME per line.',
    '# configuration_path = /etc/oratab',
    '# Not undone if the agent dies after pre: BEGIN BACKUP, until that daemon runs END BACKUP.',
  ],
};

export function composeWorkloadConf(workload: WorkloadName): ConfFile {
  const content = [
    ...HEADER,
    '# With workload_name set, the agent ignores VMSnapshotScriptPluginConfig.json entirely.',
    '[workload]',
    ...WORKLOAD_BODIES[workload],
    '',
  ].join('\n');
  return { vmPath: '/etc/azure/workload.conf', content, mode: 0o600 };
}

export function composeVmbackupConf(): ConfFile {
  const content = [
    ...HEADER,
    '# Every key the agent reads is in [SnapshotThread]; the names are case-sensitive.',
    '[SnapshotThread]',
    '# Longest time, in seconds, the file systems stay frozen; then they thaw by themselves.',
    'timeout = 60',
    '# Seconds the agent waits for the freeze to begin (at least 6).',
    'SafeFreezeWaitInSeconds = 66',
    '# Mount points not to freeze: comma-separated, no spaces. / is always frozen.',
    'MountsToSkip =',
    '',
  ].join('\n');
  return { vmPath: '/etc/azure/vmbackup.conf', content, mode: 0o600 };
}
