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
 * What this process was not allowed to see. The agent runs as root: a file we may not read or
 * stat says nothing about what the agent will find, so it is never reported as "not found".
 */
export interface AccessDenied {
  kind: 'denied';
  path: string;
}

export function isDenied(value: unknown): value is AccessDenied {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'denied';
}

/**
 * The engine's only window on the disk, injected so that tests can use real temporary folders
 * or an in-memory tree and the checks stay pure. No method throws: `undefined` means nothing is
 * there (missing, a dangling link, a loop), `AccessDenied` that we may not look.
 */
export interface FileSystem {
  /** Follows symbolic links, as the agent's os.path.isfile and os.stat do. */
  stat(path: string): FileInfo | AccessDenied | undefined;
  lstat(path: string): FileInfo | AccessDenied | undefined;
  /** Reads at most `maxBytes` of a regular file; never opens FIFOs or devices, which could block. */
  readFile(path: string, maxBytes: number): Uint8Array | AccessDenied | undefined;
  /** The names in a folder, sorted; `undefined` when it is not a readable folder. */
  readDirectory(path: string): string[] | AccessDenied | undefined;
  /**
   * Set by a view of the disk that answers from memory (the server's `recentFileSystem`): while
   * it is the same object, every stat and listing answers the same, so what was judged from them
   * alone may be kept. Absent: each question looks at the disk.
   */
  readonly generation?: object;
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

const MIN_READ_BUFFER = 4096;

/**
 * Reads at most `maxBytes` from an open file. The buffer starts at the size fstat reported (one
 * byte more, to see a file that grew) instead of `maxBytes`: zero-filling a megabytes-sized buffer
 * for every small script was most of the CLI's time per config. It doubles when the file is longer
 * than reported (a file being written, or /proc files that report size 0).
 */
function readUpTo(handle: number, maxBytes: number, reportedSize: number): Buffer {
  let buffer = Buffer.allocUnsafe(Math.min(maxBytes, Math.max(reportedSize + 1, MIN_READ_BUFFER)));
  let filled = 0;
  while (filled < maxBytes) {
    if (filled === buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(maxBytes, buffer.length * 2));
      buffer.copy(grown, 0, 0, filled);
      buffer = grown;
    }
    const read = fs.readSync(handle, buffer, filled, buffer.length - filled, null);
    if (read === 0) break;
    filled += read;
  }
  return buffer.subarray(0, filled);
}

/** EACCES and EPERM are "we may not look"; every other error means nothing usable is there. */
function deniedOrNothing(error: unknown, path: string): AccessDenied | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EACCES' || code === 'EPERM' ? { kind: 'denied', path } : undefined;
}

export const nodeFileSystem: FileSystem = {
  stat(path) {
    try {
      return toInfo(fs.statSync(path, { throwIfNoEntry: false }));
    } catch (error) {
      return deniedOrNothing(error, path);
    }
  },
  lstat(path) {
    try {
      return toInfo(fs.lstatSync(path, { throwIfNoEntry: false }));
    } catch (error) {
      return deniedOrNothing(error, path);
    }
  },
  readDirectory(path) {
    try {
      // Most folders asked for are absent (no PostgreSQL, no extension installed): a stat says so
      // without the exception readdir throws, which costs several stats.
      if (!fs.statSync(path, { throwIfNoEntry: false })?.isDirectory()) return undefined;
      return fs.readdirSync(path).sort();
    } catch (error) {
      return deniedOrNothing(error, path);
    }
  },
  readFile(path, maxBytes) {
    let handle: number | undefined;
    try {
      // O_NONBLOCK so that a path swapped for a FIFO between stat and open cannot hang us.
      handle = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const stats = fs.fstatSync(handle);
      if (!stats.isFile()) return undefined;
      return readUpTo(handle, maxBytes, stats.size);
    } catch (error) {
      return deniedOrNothing(error, path);
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
  return head instanceof Uint8Array && Buffer.from(head).equals(UTF8_BOM);
}
