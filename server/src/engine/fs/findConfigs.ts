import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAME } from '../codes';

const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/**
 * The config files below a folder, in a stable order. The walk stops after `maxEntries` folder
 * entries so that a huge workspace cannot stall the language server.
 */
export function findConfigFiles(folder: string, maxEntries = 100_000): string[] {
  const found: string[] = [];
  let budget = maxEntries;
  const walk = (dir: string): void => {
    if (budget <= 0) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    budget -= entries.length;
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
