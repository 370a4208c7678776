import type { AppId, ScaffoldFile } from './types';
/**
 * The text of install.sh: copies each file to its place on the VM with root as owner and the
 * modes the agent demands (config 600, scripts 700), each in one rename. The config comes last,
 * so that the agent never reads a config whose scripts are not there yet.
 */
export declare function composeInstallScript(app: AppId, files: readonly ScaffoldFile[]): string;
