import * as path from 'path';
import { FileInfo, FileSystem, isDenied } from '../fs/fileSystem';
import type { StampedCache } from '../fs/stampedCache';
import { PathContext, resolveVmPath } from '../paths/pathResolution';
import type { BlockDeviceAnswer } from './frozenMounts';
import type { VmFileReading, VmFiles } from './etcAzure';

/** The agent's INI files are a few hundred bytes; more is not read. */
const MAX_INI_BYTES = 64 * 1024;
/** Kept in the text cache for a file we may not read, so that it is not opened on every keystroke. */
const DENIED = '\u0000denied';

function isInfo(value: unknown): value is FileInfo {
  return typeof value === 'object' && value !== null && typeof (value as { mode?: unknown }).mode === 'number';
}

/** Only a tree standing for a whole VM says anything by what it lacks. */
export function standsForWholeVm(context: PathContext): boolean {
  return context.kind === 'vm' || context.kind === 'root' || context.kind === 'workspace';
}

/**
 * The VM's files through the engine's file system and path context. `overlay` gives the text of
 * an open, possibly unsaved document in place of the file on disk.
 */
export function vmFilesFrom(fileSystem: FileSystem, context: PathContext, overlay?: { vmPath: string; text: string; localPath: string }, texts?: StampedCache<string | undefined>): VmFiles {
  /** The text, undefined when not UTF-8, or 'denied'; read again only when the file changes. */
  const readText = (localPath: string, info: FileInfo): string | undefined | 'denied' => {
    const load = (): string | undefined => {
      const bytes = fileSystem.readFile(localPath, MAX_INI_BYTES);
      if (isDenied(bytes) || !bytes) return DENIED;
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
      } catch {
        return undefined;
      }
    };
    const text = texts ? texts.get(localPath, info, load) : load();
    return text === DENIED ? 'denied' : text;
  };
  return {
    wholeVm: standsForWholeVm(context),
    read(vmPath: string): VmFileReading {
      const localPath = resolveVmPath(vmPath, context);
      if (overlay && vmPath === overlay.vmPath) {
        const info = localPath ? fileSystem.stat(localPath) : undefined;
        return { kind: 'text', text: overlay.text, localPath: overlay.localPath, ...(isInfo(info) ? { mode: info.mode, uid: info.uid } : {}) };
      }
      if (!localPath) return { kind: 'absent' };
      const info = fileSystem.stat(localPath);
      if (isDenied(info)) return { kind: 'denied', localPath };
      if (!info || info.kind !== 'file') return { kind: 'absent' };
      const text = readText(localPath, info);
      if (text === 'denied') return { kind: 'denied', localPath };
      return text === undefined ? { kind: 'undecodable', localPath } : { kind: 'text', text, localPath, mode: info.mode, uid: info.uid };
    },
    list(vmPath: string): string[] | undefined {
      const localPath = resolveVmPath(vmPath, context);
      const names = localPath ? fileSystem.readDirectory(localPath) : undefined;
      return Array.isArray(names) ? names : undefined;
    },
  };
}

export interface MountTableReading {
  /** VM path of the table read. */
  vmPath: string;
  text: string;
  isBlockDevice: (source: string) => BlockDeviceAnswer;
  resourceDiskMountPoint?: string;
}

const MOUNT_TABLES = ['/proc/self/mounts', '/proc/mounts', '/etc/mtab'];

/**
 * The mount table of the VM (or of a `proc`-style snapshot under `--root`), and a way to tell
 * block devices apart, from `/dev` and `/sys/class/block` where the tree has them. Files only.
 */
export function readMountTable(fileSystem: FileSystem, context: PathContext): MountTableReading | undefined {
  if (context.kind !== 'vm' && context.kind !== 'root') return undefined;
  const local = (vmPath: string) => resolveVmPath(vmPath, context)!;
  let found: { vmPath: string; text: string } | undefined;
  for (const vmPath of MOUNT_TABLES) {
    const bytes: unknown = fileSystem.readFile(local(vmPath), 1024 * 1024);
    if (bytes instanceof Uint8Array && bytes.length > 0) {
      found = { vmPath, text: Buffer.from(bytes).toString('utf8') };
      break;
    }
  }
  if (!found) return undefined;
  const kindAt = (vmPath: string): string | undefined => {
    const info: unknown = fileSystem.stat(local(vmPath));
    return isInfo(info) ? info.kind : undefined;
  };
  const canTell = kindAt('/dev') === 'directory' || kindAt('/sys/class/block') === 'directory';
  const isBlockDevice = (source: string): BlockDeviceAnswer => {
    if (!source.startsWith('/dev/')) return { block: false };
    if (!canTell) return { block: true, assumed: true };
    return { block: kindAt(source) === 'device' || kindAt(path.posix.join('/sys/class/block', path.posix.basename(source))) !== undefined };
  };
  return { ...found, isBlockDevice, resourceDiskMountPoint: resourceDiskMountPoint(fileSystem, local('/etc/waagent.conf'), found.text) };
}

/**
 * The agent finds the resource disk by its VMBus id, which files do not show; waagent mounts it
 * at ResourceDisk.MountPoint (default /mnt/resource) and cloud-init at /mnt, so that is assumed.
 */
function resourceDiskMountPoint(fileSystem: FileSystem, waagentConf: string, mountTable: string): string | undefined {
  const bytes: unknown = fileSystem.readFile(waagentConf, 64 * 1024);
  const configured = bytes instanceof Uint8Array ? /^\s*ResourceDisk\.MountPoint\s*=\s*(\S+)/m.exec(Buffer.from(bytes).toString('utf8'))?.[1] : undefined;
  const mounted = new Set(mountTable.split('\n').map((line) => line.split(/\s+/)[1]));
  return [configured, '/mnt/resource', '/mnt'].find((candidate) => candidate !== undefined && mounted.has(candidate));
}
