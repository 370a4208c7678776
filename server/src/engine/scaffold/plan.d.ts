import { APP_IDS, ScaffoldParams, ScaffoldPlan } from './types';
export declare const DEFAULT_TIMEOUT_SECONDS = 60;
export declare const DEFAULT_SCRIPT_DIR = "/etc/azure/vmsnapshot";
export declare function isAppId(value: string): value is (typeof APP_IDS)[number];
/**
 * Plans the files of a scaffold without touching the disk: the config, the two scripts,
 * install.sh and, for databases, a sample options file. Throws a ScaffoldError (localized) on
 * choices that cannot work.
 */
export declare function planScaffold(appId: string, params?: ScaffoldParams): ScaffoldPlan;
