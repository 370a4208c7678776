import * as common from './templates/common';
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
    options?: OptionsSample;
    /** Extra lines for the header comment of both scripts. */
    notes: readonly string[];
}
export declare const COMMON_FRAGMENTS: typeof common;
export declare function listApps(): readonly AppTemplate[];
export declare function findApp(id: string): AppTemplate | undefined;
