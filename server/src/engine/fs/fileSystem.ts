import * as fs from 'fs';

export type FileKind = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'device' | 'other';

export interface FileInfo {
  kind: FileKind;
  /** Permission bits including setuid/setgid/sticky (`st_mode & 0o7777`). */
  mode: number;
  uid: number;
  size: number;
  /** Modification and status-change times, which tell a cached reading of the file is stale. */
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * The engine's only window on the disk, injected so that tests can use real temporary folders
 * or an in-memory tree and the checks stay pure. Every method answers `undefined` instead of
 * throwing: a missing file, a dangling link, a loop and a permission error all mean "the agent
 * will not find it".
 */
export interface FileSystem {
  /** Follows symbolic links, as the agent's os.path.isfile and os.stat do. */
  stat(path: string): FileInfo | undefined;
  lstat(path: string): FileInfo | undefined;
  /** Reads at most `maxBytes` of a regular file; never opens FIFOs or devices, which could block. */
  readFile(path: string, maxBytes: number): Uint8Array | undefined;
}

function kindOf(stats: fs.Stats): FileKind {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice() || stats.isCharacterDevice()) return 'device';
  return 'other';
}

function toInfo(stats: fs.Stats | undefined): FileInfo | undefined {
  return stats && { kind: kindOf(stats), mode: stats.mode & 0o7777, uid: stats.uid, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

export const nodeFileSystem: FileSystem = {
  stat(path) {
    try {
      return toInfo(fs.statSync(path, { throwIfNoEntry: false }));
    } catch {
      return undefined;
    }
  },
  lstat(path) {
    try {
      return toInfo(fs.lstatSync(path, { throwIfNoEntry: false }));
    } catch {
      return undefined;
    }
  },
  readFile(path, maxBytes) {
    let handle: number | undefined;
    try {
      // O_NONBLOCK so that a path swapped for a FIFO between stat and open cannot hang us.
      handle = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      if (!fs.fstatSync(handle).isFile()) return undefined;
      const buffer = Buffer.alloc(maxBytes);
      let filled = 0;
      while (filled < maxBytes) {
        const read = fs.readSync(handle, buffer, filled, maxBytes - filled, null);
        if (read === 0) break;
        filled += read;
      }
      return buffer.subarray(0, filled);
    } catch {
      return undefined;
    } finally {
      if (handle !== undefined) fs.closeSync(handle);
    }
  },
};

export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

/**
 * Whether a file on disk starts with a UTF-8 byte order mark. Editors hide the mark from the
 * text they send, but the agent reads the bytes.
 */
export function startsWithUtf8Bom(fileSystem: FileSystem, path: string): boolean {
  const head = fileSystem.readFile(path, UTF8_BOM.length);
  return head !== undefined && Buffer.from(head).equals(UTF8_BOM);
}
