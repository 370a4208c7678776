import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';

export const NOBODY_UID = 65534;
export const runningAsRoot = process.getuid?.() === 0;

/** Where the agent looks for its files, as VM paths. */
export const CONFIG_PATH = '/etc/azure/VMSnapshotScriptPluginConfig.json';
export const HOST_CONF_PATH = '/etc/azure/VMSnapshotPluginHost.conf';

/** The smallest script the agent runs to success. */
export const EXIT_0 = '#!/bin/sh\nexit 0\n';

/** A valid config naming these two scripts, formatted as users keep it. */
export const configText = (pre: string, post: string): string =>
  JSON.stringify({ pluginName: 'ScriptRunner', preScriptLocation: pre, postScriptLocation: post, timeoutInSeconds: 60, continueBackupOnFailure: true, fsFreezeEnabled: true }, null, 2) + '\n';

/** The host conf the extension ships: ScriptRunner with the config above, a 1800 s cap. */
export const SHIPPED_HOST_CONF = `[pre_post]\ntimeoutInSeconds: 1800\nnumberOfPlugins: 1\npluginName0: ScriptRunner\npluginPath0: /etc/azure\npluginConfigPath0: ${CONFIG_PATH}\n`;

export interface VmFile {
  content: string | Uint8Array;
  /** 600 when not given: what the agent wants of its config. */
  mode?: number;
  /** Give the file to "nobody" (only possible as root). */
  notRoot?: boolean;
}

export interface VmRootOptions {
  /** Lay the VM out in this folder (a VM copy inside a repository) instead of a new temp folder. */
  at?: string;
  /**
   * The mode of the root folder itself. mkdtemp makes it 700; 755 lets another user (a check run
   * as "nobody") walk in and meet the files' own modes.
   */
  mode?: number;
}

/**
 * A temporary folder laid out like a VM's `/`, with real files, modes and owners,
 * so that the engine's file checks meet what the agent would meet.
 */
export class VmRoot {
  readonly dir: string;

  constructor(options: VmRootOptions = {}) {
    this.dir = options.at ?? fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-vm-'));
    fs.mkdirSync(this.dir, { recursive: true });
    if (options.mode !== undefined) fs.chmodSync(this.dir, options.mode);
  }

  /** The local path that stands for this VM path. */
  local(vmPath: string): string {
    return path.join(this.dir, vmPath);
  }

  /** The file: URI of this VM path's local file, as an editor names it. */
  uri(vmPath: string): string {
    return pathToFileURL(this.local(vmPath)).toString();
  }

  /** Writes (or overwrites) the file and sets its mode even where the file existed. */
  write(vmPath: string, file: VmFile): string {
    const local = this.local(vmPath);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, file.content);
    fs.chmodSync(local, file.mode ?? 0o600);
    if (file.notRoot) fs.chownSync(local, NOBODY_UID, NOBODY_UID);
    return local;
  }

  /** Writes every file of the map (VM path → file), in the map's order. */
  writeAll(files: Record<string, VmFile>): void {
    for (const [vmPath, file] of Object.entries(files)) this.write(vmPath, file);
  }

  /** Scripts the agent accepts and that succeed: `exit 0`, mode 700, root's. */
  writeScripts(...vmPaths: string[]): void {
    for (const vmPath of vmPaths) this.write(vmPath, { content: EXIT_0, mode: 0o700 });
  }

  /** A host conf, 644 as the extension installs it; the shipped one unless told. */
  writeHostConf(content = SHIPPED_HOST_CONF, vmPath = HOST_CONF_PATH): string {
    return this.write(vmPath, { content, mode: 0o644 });
  }

  symlink(vmPath: string, target: string): void {
    const local = this.local(vmPath);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.symlinkSync(target, local);
  }

  mkdir(vmPath: string): string {
    const local = this.local(vmPath);
    fs.mkdirSync(local, { recursive: true });
    return local;
  }

  /** The layout the agent accepts: config 600, scripts 700, all root's. */
  writeValidSetup(config: object = {}, configPath = CONFIG_PATH): string {
    this.write('/etc/azure/pre.sh', { content: EXIT_0, mode: 0o700 });
    this.write('/etc/azure/post.sh', { content: EXIT_0, mode: 0o700 });
    return this.write(configPath, {
      content: JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30, ...config }),
      mode: 0o600,
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
