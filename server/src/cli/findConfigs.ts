import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAME } from '../engine/codes';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** Expands a folder argument into the config files below it, in a stable order. */
export function findConfigFiles(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) walk(full);
      else if (entry.name === CONFIG_FILE_NAME && (entry.isFile() || entry.isSymbolicLink())) found.push(full);
    }
  };
  walk(folder);
  return found;
}
