"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.COMMON_FRAGMENTS = void 0;
exports.listApps = listApps;
exports.findApp = findApp;
const l10n = __importStar(require("@vscode/l10n"));
const common = __importStar(require("./templates/common"));
const docker = __importStar(require("./templates/docker"));
const generic = __importStar(require("./templates/generic"));
const mongodb = __importStar(require("./templates/mongodb"));
const mysql = __importStar(require("./templates/mysql"));
const oracle = __importStar(require("./templates/oracle"));
const postgresql = __importStar(require("./templates/postgresql"));
const systemd = __importStar(require("./templates/systemd"));
const both = ['pre', 'post'];
function commonSettings(app, withLock) {
    const settings = [
        { name: 'log_file', kind: 'path', sides: both, defaultValue: `/var/log/vmsnapshot/${app}.log`, doc: 'log file (the agent never reads stdout or stderr)' },
        { name: 'state_dir', kind: 'path', sides: both, defaultValue: `/run/vmsnapshot/${app}`, doc: 'folder for what the post-script needs to undo the pre-script' },
    ];
    if (withLock) {
        settings.push({ name: 'lock_seconds', kind: 'seconds', sides: ['pre'], defaultValue: '60', doc: 'longest time the application stays quiesced if no post-script comes' });
    }
    return settings;
}
exports.COMMON_FRAGMENTS = common;
const templates = [
    {
        id: 'generic',
        label: () => l10n.t('Generic'),
        detail: () => l10n.t('Flush file system buffers and log; a starting point for any application'),
        settings: commonSettings('generic', false),
        pre: generic.pre,
        post: generic.post,
        watchdog: false,
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
        detail: () => l10n.t('pg_backup_start/pg_backup_stop in one held session (PostgreSQL 15 and later too)'),
        settings: [
            ...commonSettings('postgresql', true),
            { name: 'service_file', kind: 'path', sides: both, defaultValue: '/etc/azure/vmsnapshot/pg_service.conf', doc: 'connection service file (PGSERVICEFILE), root-only' },
            { name: 'service', kind: 'name', sides: both, defaultValue: 'vmsnapshot', doc: 'section of the service file to use' },
            { name: 'psql', kind: 'command', sides: both, defaultValue: 'psql', doc: 'psql program' },
            { name: 'label_dir', kind: 'path', sides: ['post'], defaultValue: '/var/lib/vmsnapshot/postgresql', doc: 'where the post-script keeps each backup label' },
        ],
        lib: postgresql.lib,
        pre: postgresql.pre,
        post: postgresql.post,
        watchdog: false,
        options: {
            setting: 'service_file',
            fileName: 'pg_service.conf',
            content: [
                '# Connection service file for the vmsnapshot PostgreSQL scripts (PGSERVICEFILE).',
                '# Keep it owned by root with mode 600. For a password, add passfile= naming a',
                '# root-only .pgpass file; never put the password on a command line.',
                '# With Debian\'s peer authentication root connects as the role "root"; create it once:',
                '#   sudo -u postgres psql -c \'CREATE ROLE root LOGIN\' -c \'GRANT pg_checkpoint TO root\' \\',
                '#     -c \'GRANT EXECUTE ON FUNCTION pg_backup_start(text, boolean) TO root\' \\',
                '#     -c \'GRANT EXECUTE ON FUNCTION pg_backup_stop(boolean) TO root\'',
                '[vmsnapshot]',
                'host=/var/run/postgresql',
                'dbname=postgres',
                'user=root',
                '',
            ].join('\n'),
        },
        notes: [
            'Writes go on during backup mode; the snapshot is restorable as a base backup.',
            'The backup label exists only after the snapshot, so the post-script keeps it in label_dir,',
            'which goes into the next snapshot: keep a copy off the VM to restore with the label.',
            'Without the label PostgreSQL recovers the snapshot as after a crash.',
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
        notes: ['Only running containers are paused, and only those are unpaused.'],
    },
];
function listApps() {
    return templates;
}
function findApp(id) {
    return templates.find((template) => template.id === id);
}
//# sourceMappingURL=apps.js.map