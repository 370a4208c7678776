import { AppTemplate, SettingSpec } from './apps';
import type { ScriptSide } from './types';
/** Quotes a value for sh: single quotes keep everything literal except the quote itself. */
export declare function shellQuote(value: string): string;
export declare function scriptFileName(app: AppTemplate, side: ScriptSide): string;
export declare function settingsFor(app: AppTemplate, side: ScriptSide): SettingSpec[];
/** The whole text of one script: header, settings, shared helpers, the app's own part. */
export declare function composeScript(app: AppTemplate, side: ScriptSide): string;
