import { ScaffoldPlan } from './types';
export interface WriteOptions {
    /** Replace existing files without asking. */
    force?: boolean;
    /** Asked once with the names of the files that exist; false keeps everything as it is. */
    confirmOverwrite?: (existing: string[]) => boolean | Promise<boolean>;
}
export interface WriteResult {
    /** Absolute paths, in the plan's order. */
    written: string[];
    /** The subset of `written` that replaced a file. */
    replaced: string[];
    /** True when the user declined to overwrite: nothing was written. */
    cancelled: boolean;
}
/** A name that stays inside the target folder: no separators, no `..`, nothing hidden. */
export declare function isPlainFileName(name: string): boolean;
/**
 * Writes one file so that nobody ever sees it half-written or with a wider mode: a new temp file
 * in the same folder, created exclusively with the final mode (O_EXCL and O_NOFOLLOW, so a planted
 * link is never followed), then renamed over the target. A rename replaces a symbolic link itself,
 * never the file it points to. Where nothing may be replaced, link() is used instead: it fails if
 * the target appeared in the meantime.
 */
export declare function writeFileAtomic(target: string, content: string, mode: number, replace: boolean, owner?: {
    uid: number;
    gid: number;
}): void;
/**
 * Writes a plan's files into `outDir`. Existing files are replaced only with `force` or after
 * `confirmOverwrite` said yes; without either, an existing file is an error and nothing is
 * written. Every file gets its final mode before it appears.
 */
export declare function writeScaffold(plan: ScaffoldPlan, outDir: string, options?: WriteOptions): Promise<WriteResult>;
export interface InstallResult {
    installed: string[];
    /** Options files left as they were: they hold the user's credentials. */
    kept: string[];
    /** Copies of replaced files that differed from the new ones. */
    backups: string[];
}
/**
 * Does what install.sh does, from the editor on the VM itself (Remote-SSH as root): each file
 * goes to its VM path under `root`, owned by root, with its final mode, in one rename; the config
 * last, so that the agent never reads a config whose scripts are missing.
 */
export declare function installScaffold(plan: ScaffoldPlan, root?: string): InstallResult;
