import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const NOBODY_UID = 65534;
export const runningAsRoot = process.getuid?.() === 0;

export interface VmFile {
  content: string | Uint8Array;
  mode?: number;
  /** Give the file to "nobody" (only possible as root). */
  notRoot?: boolean;
}

/**
 * A temporary folder laid out like a VM's `/`, with real files, modes and owners,
 * so that the engine's file checks meet what the agent would meet.
 */
export class VmRoot {
  readonly dir: string;

  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-vm-'));
  }

  local(vmPath: string): string {
    return path.join(this.dir, vmPath);
  }

  write(vmPath: string, file: VmFile): string {
    const local = this.local(vmPath);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.writeFileSync(local, file.content);
    fs.chmodSync(local, file.mode ?? 0o600);
    if (file.notRoot) fs.chownSync(local, NOBODY_UID, NOBODY_UID);
    return local;
  }

  symlink(vmPath: string, target: string): void {
    const local = this.local(vmPath);
    fs.mkdirSync(path.dirname(local), { recursive: true });
    fs.symlinkSync(target, local);
  }

  mkdir(vmPath: string): void {
    fs.mkdirSync(this.local(vmPath), { recursive: true });
  }

  /** The layout the agent accepts: config 600, scripts 700, all root's. */
  writeValidSetup(config: object = {}): string {
    this.write('/etc/azure/pre.sh', { content: '#!/bin/sh\nexit 0\n', mode: 0o700 });
    this.write('/etc/azure/post.sh', { content: '#!/bin/sh\nexit 0\n', mode: 0o700 });
    return this.write('/etc/azure/VMSnapshotScriptPluginConfig.json', {
      content: JSON.stringify({ preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30, ...config }),
      mode: 0o600,
    });
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
