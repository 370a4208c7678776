import type { FileSystem } from './fileSystem';

/**
 * A view of `fileSystem` that looks at each path once: one analysis stats a script where it
 * checks the location, where it reads the script and where the behaviour rules key their cache,
 * and lists the same folders for several of the agent's files. The disk is taken as it was when
 * the analysis started, which is also what makes its findings agree with each other. File
 * contents are not kept: each is read once already, through the caches keyed by these stats.
 */
export function memoFileSystem(fileSystem: FileSystem): FileSystem {
  const stats = new Map<string, ReturnType<FileSystem['stat']>>();
  const lstats = new Map<string, ReturnType<FileSystem['lstat']>>();
  const listings = new Map<string, ReturnType<FileSystem['readDirectory']>>();
  const once = <T>(seen: Map<string, T>, path: string, look: () => T): T => {
    if (seen.has(path)) return seen.get(path) as T;
    const value = look();
    seen.set(path, value);
    return value;
  };
  return {
    // The view of the disk the analysis started with, also when it expires meanwhile.
    generation: fileSystem.generation,
    stat: (path) => once(stats, path, () => fileSystem.stat(path)),
    lstat: (path) => once(lstats, path, () => fileSystem.lstat(path)),
    readDirectory: (path) => once(listings, path, () => fileSystem.readDirectory(path)),
    readFile: (path, maxBytes) => fileSystem.readFile(path, maxBytes),
  };
}
