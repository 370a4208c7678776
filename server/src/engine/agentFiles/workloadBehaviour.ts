import * as l10n from '@vscode/l10n';
import { agentCodeInfo } from '../agentFailures';
import type { WorkloadPrediction } from './workloadConf';

export interface WorkloadBehaviour {
  /** What pre runs, in words, with the SQL. */
  pre: string;
  post: string;
  /** What stays behind if the agent dies between pre and post. */
  leftBehind: string;
  /** The predicted result: the first 5xx the agent records, or application consistent. */
  result: string;
}

/** What the workload framework will do with these values (agent-config-files.md §2.4–§2.7). */
export function describeWorkloadBehaviour(prediction: WorkloadPrediction): WorkloadBehaviour | undefined {
  const name = prediction.name;
  if (!name) return undefined;
  const { values } = prediction;
  const user = values.linuxUser || 'root';
  let pre: string;
  let post: string;
  let leftBehind: string;
  if (name === 'mysql' || name === 'mariadb') {
    const slave = values.role === 'slave';
    pre = slave
      ? l10n.t('sudo -u {0} {1}{2} runs STOP SLAVE; FLUSH TABLES WITH READ LOCK; SET GLOBAL read_only = ON, writes {3}/azbackupIPC.txt, then holds the lock for SELECT SLEEP({4}).', user, values.command, name, values.ipcFolder ?? '?', values.timeout)
      : l10n.t('sudo -u {0} {1}{2} runs FLUSH TABLES WITH READ LOCK; SET GLOBAL read_only = ON, writes {3}/azbackupIPC.txt, then holds the lock for SELECT SLEEP({4}).', user, values.command, name, values.ipcFolder ?? '?', values.timeout);
    post = slave
      ? l10n.t('Ends the lock session and starts START SLAVE; SET GLOBAL read_only = OFF; UNLOCK TABLES without waiting for it or checking it.')
      : l10n.t('Ends the lock session and starts SET GLOBAL read_only = OFF; UNLOCK TABLES without waiting for it or checking it.');
    leftBehind = l10n.t('read_only = ON is global: the server stays read-only until someone runs SET GLOBAL read_only = OFF{0}; azbackupIPC.txt and /etc/azure/DefaultScripts stay too. No daemon undoes it.', slave ? l10n.t(' and START SLAVE') : '');
  } else if (name === 'postgres') {
    pre = l10n.t('su - {0} -c \'{1}psql … -f prePostgresMaster.sql\' runs SELECT pg_start_backup(\'AzureBackup\'); its result is not checked. A daemon ends backup mode after {2} s.', user, values.command, values.timeout);
    post = l10n.t('Stops the daemon, then runs SELECT pg_stop_backup(), waiting at most 10 s, unchecked.');
    leftBehind = l10n.t('The daemon started in pre runs pg_stop_backup() after {0} s; /etc/azure/DefaultScripts stays.', values.timeout);
  } else {
    pre = l10n.t('su - {0} -c \'{1}sqlplus … @preOracleMaster.sql\' runs ALTER SYSTEM ARCHIVE LOG CURRENT and ALTER DATABASE BEGIN BACKUP{2}. A daemon ends backup mode after {3} s.', user, values.command, values.configurationPath ? l10n.t(' for each SID in {0}', values.configurationPath) : '', values.timeout);
    post = l10n.t('Stops the daemon, then runs ALTER DATABASE END BACKUP and archives the current log; success only if "END BACKUP succeeded" is printed.');
    leftBehind = l10n.t('The daemon started in pre runs END BACKUP after {0} s; /etc/azure/DefaultScripts stays.', values.timeout);
  }
  if (values.dbnames.length > 0) {
    pre = l10n.t('Nothing: with dbnames set, pre calls a function that does nothing.');
    post = l10n.t('Nothing: with dbnames set, post calls a function that does nothing.');
    leftBehind = l10n.t('Nothing, as nothing was done.');
  }
  if (prediction.preSkipped) {
    pre = l10n.t('Skipped: workload.conf cannot be used ({0}).', prediction.errors.map((error) => `${error.code} ${agentCodeInfo(error.code).name}`).join(', '));
    post = l10n.t('Skipped.');
    leftBehind = l10n.t('Nothing, as nothing was done.');
  }
  const first = prediction.errors[0];
  const result = first
    ? l10n.t('The file systems are frozen and the snapshot taken; the portal shows file-system consistent, health code {0} ({1}).', first.code, agentCodeInfo(first.code).name)
    : l10n.t('The file systems are frozen and the snapshot taken; the portal shows application consistent, if the database commands succeed in time.');
  return { pre, post, leftBehind, result };
}
