import type { FileInfo } from './fileSystem';

/**
 * Values computed from a file, kept while the file's size and times stay the same: the config is
 * analysed on every keystroke, the files it names change far less often. Bounded, oldest first out.
 */
export class StampedCache<T> {
  private readonly entries = new Map<string, { stamp: string; value: T }>();

  constructor(private readonly capacity: number) {}

  get(path: string, info: FileInfo, compute: () => T): T {
    const stamp = `${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
    const cached = this.entries.get(path);
    if (cached?.stamp === stamp) return cached.value;
    const value = compute();
    if (!cached && this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(path, { stamp, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
