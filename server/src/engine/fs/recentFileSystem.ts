import type { FileSystem } from './fileSystem';

export interface RecentFileSystem extends FileSystem {
  readonly generation: object;
  /** Looks at the disk again on the next question: something we were told of may have changed it. */
  forget(): void;
}

/**
 * A view of `fileSystem` that answers a stat or a folder listing from what it saw at most
 * `maxAgeMs` ago. Typing in a config re-analyses it on every keystroke, and the six stats of the
 * agent's files and scripts cost more than the rest of the analysis: measured in the server under
 * `npm run bench` (2-core VM), ~17 µs each, as the first system calls after each message's wake-up,
 * against ~50 µs for the whole analysis besides. While the user types, the disk is looked at once
 * per `maxAgeMs`; any event that says it changed (a watched file, a fix we applied, a setting)
 * calls `forget`. File contents are never kept: what reads them keys its caches on these stats.
 */
export function recentFileSystem(fileSystem: FileSystem, maxAgeMs: number, now: () => number = () => performance.now()): RecentFileSystem {
  let seenAt = now();
  let generation = {};
  let stats = new Map<string, ReturnType<FileSystem['stat']>>();
  let lstats = new Map<string, ReturnType<FileSystem['lstat']>>();
  let listings = new Map<string, ReturnType<FileSystem['readDirectory']>>();
  const forget = (): void => {
    stats = new Map();
    lstats = new Map();
    listings = new Map();
    seenAt = now();
    generation = {};
  };
  const expireIfOld = (): void => {
    if (now() - seenAt > maxAgeMs) forget();
  };
  const recent = <T>(seen: () => Map<string, T>, path: string, look: () => T): T => {
    expireIfOld();
    const map = seen();
    if (map.has(path)) return map.get(path) as T;
    const value = look();
    map.set(path, value);
    return value;
  };
  return {
    stat: (path) => recent(() => stats, path, () => fileSystem.stat(path)),
    lstat: (path) => recent(() => lstats, path, () => fileSystem.lstat(path)),
    readDirectory: (path) => recent(() => listings, path, () => fileSystem.readDirectory(path)),
    readFile: (path, maxBytes) => fileSystem.readFile(path, maxBytes),
    forget,
    get generation() {
      expireIfOld();
      return generation;
    },
  };
}
