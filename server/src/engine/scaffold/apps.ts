import * as l10n from '@vscode/l10n';
import * as common from './templates/common';
import * as docker from './templates/docker';
import * as generic from './templates/generic';
import * as mongodb from './templates/mongodb';
import * as mysql from './templates/mysql';
import * as oracle from './templates/oracle';
import * as postgresql from './templates/postgresql';
import * as systemd from './templates/systemd';
import { DEFAULT_TIMEOUT_SECONDS, requiredLockSeconds, scriptLimitSeconds } from './lockBound';
import type { AppId, ScriptSide } from './types';

export type SettingKind = 'path' | 'name' | 'seconds' | 'command';

/**
 * One `name=value` parameter a script understands. The shell variable has the same name, so a
 * reader of the config finds it in the script at once.
 */
export interface SettingSpec {
  name: string;
  kind: SettingKind;
  sides: readonly ScriptSide[];
  /** The script's own default, used when the config does not pass the parameter. */
  defaultValue: string;
  /** `service=a service=b`: each occurrence adds to the list held in `listVariable`. */
  listVariable?: string;
  /** English comment in the script (scripts on the VM are not localized). */
  doc: string;
}

export interface OptionsSample {
  /** The setting that names the file. */
  setting: string;
  fileName: string;
  content: string;
}

export interface AppTemplate {
  id: AppId;
  label(): string;
  detail(): string;
  settings: readonly SettingSpec[];
  /** Shell text both scripts share, after the common helpers. */
  lib?: string;
  pre: string;
  post: string;
  /** Whether the pre-script starts a watchdog that undoes it after lock_seconds. */
  watchdog: boolean;
  /**
   * Whether a restorable snapshot needs the agent's file-system freeze (fsFreezeEnabled): the
   * config check says so when it is off. Written into the scripts' header, where the check reads it.
   */
  needsFreeze: boolean;
  options?: OptionsSample;
  /** Extra lines for the header comment of both scripts. */
  notes: readonly string[];
}

const both: readonly ScriptSide[] = ['pre', 'post'];

function commonSettings(app: AppId, withLock: boolean): SettingSpec[] {
  const settings: SettingSpec[] = [
    { name: 'log_file', kind: 'path', sides: both, defaultValue: `/var/log/vmsnapshot/${app}.log`, doc: 'log file (the agent never reads stdout or stderr)' },
    { name: 'state_dir', kind: 'path', sides: both, defaultValue: `/run/vmsnapshot/${app}`, doc: 'folder for what the post-script needs to undo the pre-script' },
  ];
  if (withLock) {
    settings.push({ name: 'lock_seconds', kind: 'seconds', sides: ['pre'], defaultValue: String(requiredLockSeconds(scriptLimitSeconds(DEFAULT_TIMEOUT_SECONDS))), doc: 'longest time the application stays quiesced: the pre- and post-script limits plus the snapshot window' });
  }
  return settings;
}

export const COMMON_FRAGMENTS = common;

const templates: readonly AppTemplate[] = [
  {
    id: 'generic',
    label: () => l10n.t('Generic'),
    detail: () => l10n.t('Flush file system buffers and log; a starting point for any application'),
    settings: commonSettings('generic', false),
    pre: generic.pre,
    post: generic.post,
    watchdog: false,
    needsFreeze: true,
    notes: ['It quiesces nothing by itself: add the application\'s own commands where the log says so.'],
  },
  {
    id: 'mysql',
    label: () => l10n.t('MySQL / MariaDB'),
    detail: () => l10n.t('FLUSH TABLES WITH READ LOCK, held by a background session that ends by itself'),
    settings: [
      ...commonSettings('mysql', true),
      { name: 'options_file', kind: 'path', sides: both, defaultValue: '/etc/azure/vmsnapshot/mysql.cnf', doc: 'client options file with the credentials ([client] section), root-only' },
      { name: 'client', kind: 'command', sides: both, defaultValue: '', doc: 'client program (default: mariadb, else mysql)' },
    ],
    lib: mysql.lib,
    pre: mysql.pre,
    post: mysql.post,
    watchdog: false,
    needsFreeze: true,
    options: {
      setting: 'options_file',
      fileName: 'mysql.cnf',
      content: [
        '# Client options for the vmsnapshot MySQL/MariaDB scripts (--defaults-extra-file).',
        '# Keep it owned by root with mode 600: it may hold a password.',
        '# On Debian, root logs in to MariaDB through the Unix socket without a password.',
        '[client]',
        'user=root',
        '#password=',
        '#socket=/run/mysqld/mysqld.sock',
        '',
      ].join('\n'),
    },
    notes: [
      'A write from another session waits until the post-script (or lock_seconds) ends the lock.',
    ],
  },
  {
    id: 'postgresql',
    label: () => l10n.t('PostgreSQL'),
    detail: () => l10n.t('CHECKPOINT and a check that the whole cluster is frozen by the agent; backup mode with a label where WAL is archived'),
    settings: [
      ...commonSettings('postgresql', true),
      { name: 'service_file', kind: 'path', sides: both, defaultValue: '/etc/azure/vmsnapshot/pg_service.conf', doc: 'connection service file (PGSERVICEFILE), root-only' },
      { name: 'service', kind: 'name', sides: both, defaultValue: 'vmsnapshot', doc: 'section of the service file to use' },
      { name: 'psql', kind: 'command', sides: both, defaultValue: 'psql', doc: 'psql program' },
      { name: 'backup_mode', kind: 'name', sides: ['pre'], defaultValue: 'off', doc: 'on: also hold pg_backup_start until the post-script and save its label (needs WAL archiving)' },
      { name: 'vmbackup_conf', kind: 'path', sides: ['pre'], defaultValue: '/etc/azure/vmbackup.conf', doc: "the agent's vmbackup.conf, whose MountsToSkip is not frozen" },
      { name: 'label_dir', kind: 'path', sides: both, defaultValue: '/var/lib/vmsnapshot/postgresql', doc: 'where backup_mode=on keeps each backup label (best off the VM, e.g. beside the WAL archive)' },
    ],
    lib: postgresql.lib,
    pre: postgresql.pre,
    post: postgresql.post,
    watchdog: false,
    needsFreeze: true,
    options: {
      setting: 'service_file',
      fileName: 'pg_service.conf',
      content: [
        '# Connection service file for the vmsnapshot PostgreSQL scripts (PGSERVICEFILE).',
        '# Keep it owned by root with mode 600. For a password, add passfile= naming a',
        '# root-only .pgpass file; never put the password on a command line.',
        '# With Debian\'s peer authentication root connects as the role "root"; create it once:',
        '#   sudo -u postgres psql -c \'CREATE ROLE root LOGIN IN ROLE pg_read_all_settings, pg_checkpoint\'',
        '# and, for backup_mode=on, also:',
        '#   sudo -u postgres psql -c \'GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO root\' \\',
        '#     -c \'GRANT EXECUTE ON FUNCTION pg_backup_stop(boolean) TO root\'',
        '[vmsnapshot]',
        'host=/var/run/postgresql',
        'dbname=postgres',
        'user=root',
        '',
      ].join('\n'),
    },
    notes: [
      'Writes are not stopped: the agent\'s file-system freeze holds them during the snapshot, and',
      'with data, WAL and tablespaces all frozen at one instant the snapshot restores by crash',
      'recovery. The pre-script checks that they are, and runs a CHECKPOINT to keep recovery short.',
      'backup_mode=on (only with WAL archiving) also holds pg_backup_start until the post-script,',
      'which saves the label: with it and the archive, the snapshot is a base backup for',
      'point-in-time recovery. See the README, "Restoring", for both restores.',
    ],
  },
  {
    id: 'mongodb',
    label: () => l10n.t('MongoDB'),
    detail: () => l10n.t('fsyncLock/fsyncUnlock with mongosh, undone by a watchdog after the timeout'),
    settings: [
      ...commonSettings('mongodb', true),
      { name: 'uri_file', kind: 'path', sides: both, defaultValue: '/etc/azure/vmsnapshot/mongodb.uri', doc: 'file holding the mongodb:// connection string, root-only' },
      { name: 'mongosh', kind: 'command', sides: both, defaultValue: 'mongosh', doc: 'mongosh program' },
    ],
    lib: mongodb.lib,
    pre: mongodb.pre,
    post: mongodb.post,
    watchdog: true,
    needsFreeze: false,
    options: {
      setting: 'uri_file',
      fileName: 'mongodb.uri',
      content: 'mongodb://localhost:27017/?directConnection=true\n',
    },
    notes: ['fsyncLock outlives its session: the watchdog unlocks after lock_seconds if no post-script comes.'],
  },
  {
    id: 'oracle',
    label: () => l10n.t('Oracle Database'),
    detail: () => l10n.t('ALTER DATABASE BEGIN/END BACKUP as sysdba, undone by a watchdog after the timeout'),
    settings: [
      ...commonSettings('oracle', true),
      { name: 'oracle_user', kind: 'name', sides: both, defaultValue: 'oracle', doc: 'operating-system owner of the database (for / as sysdba)' },
      { name: 'oracle_home', kind: 'path', sides: both, defaultValue: '/u01/app/oracle/product/19.0.0/dbhome_1', doc: 'ORACLE_HOME' },
      { name: 'oracle_sid', kind: 'name', sides: both, defaultValue: 'ORCL', doc: 'ORACLE_SID' },
    ],
    lib: oracle.lib,
    pre: oracle.pre,
    post: oracle.post,
    watchdog: true,
    needsFreeze: false,
    notes: ['The database must run in ARCHIVELOG mode. Operating-system authentication: no password anywhere.'],
  },
  {
    id: 'systemd',
    label: () => l10n.t('systemd service'),
    detail: () => l10n.t('Stop units before the snapshot and start them again after'),
    settings: [
      ...commonSettings('systemd', true),
      { name: 'service', kind: 'name', sides: ['pre'], defaultValue: '', listVariable: 'services', doc: 'a unit to stop and start again (repeat for more)' },
    ],
    lib: systemd.lib,
    pre: systemd.pre,
    post: systemd.post,
    watchdog: true,
    needsFreeze: false,
    notes: ['Only units that were running are stopped, and only those are started again.'],
  },
  {
    id: 'docker',
    label: () => l10n.t('Docker containers'),
    detail: () => l10n.t('Pause containers before the snapshot and unpause them after'),
    settings: [
      ...commonSettings('docker', true),
      { name: 'container', kind: 'name', sides: ['pre'], defaultValue: '', listVariable: 'containers', doc: 'a container to pause and unpause (repeat for more)' },
    ],
    lib: docker.lib,
    pre: docker.pre,
    post: docker.post,
    watchdog: true,
    needsFreeze: false,
    notes: ['Only running containers are paused, and only those are unpaused.'],
  },
];

export function listApps(): readonly AppTemplate[] {
  return templates;
}

export function findApp(id: string): AppTemplate | undefined {
  return templates.find((template) => template.id === id);
}
