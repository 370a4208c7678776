/** Scaffolding of pre/post scripts: one module that the CLI and the editor command share. */
export { APP_IDS, ScaffoldError } from './types';
export type { AppId, ScaffoldFile, ScaffoldFileRole, ScaffoldParams, ScaffoldPlan, ScriptSide } from './types';
export { findApp, listApps } from './apps';
export type { AppTemplate, SettingSpec } from './apps';
export { DEFAULT_SCRIPT_DIR, DEFAULT_TIMEOUT_SECONDS, isAppId, planScaffold } from './plan';
export { installScaffold, isPlainFileName, writeFileAtomic, writeScaffold } from './write';
export type { InstallResult, WriteOptions, WriteResult } from './write';
