import type { FileInfo, FileSystem } from '../fs/fileSystem';
import type { EngineDiagnostic } from '../types';
import { checkScript } from './index';
import { defaultMaxScriptBytes } from './scriptText';

interface CachedCheck {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  diagnostics: EngineDiagnostic[];
}

/**
 * The built-in checks of a script file, read again only when its size or times change: a config
 * is analysed on every keystroke, its scripts change far less often.
 */
const cache = new Map<string, CachedCheck>();
const CACHE_ENTRIES = 64;

export function checkScriptFile(localPath: string, info: FileInfo, fileSystem: FileSystem): EngineDiagnostic[] {
  const cached = cache.get(localPath);
  if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs && cached.ctimeMs === info.ctimeMs) return cached.diagnostics;
  const bytes = fileSystem.readFile(localPath, defaultMaxScriptBytes);
  // Unreadable to us (permissions) says nothing about the agent, which runs as root.
  const diagnostics = bytes ? checkScript(bytes, { fileSize: info.size, file: localPath }) : [];
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(localPath, { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, diagnostics });
  return diagnostics;
}
