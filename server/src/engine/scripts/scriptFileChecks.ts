import type { FileInfo, FileSystem } from '../fs/fileSystem';
import type { EngineDiagnostic } from '../types';
import { checkScript } from './index';
import { defaultMaxScriptBytes } from './scriptText';
import { findSourcedFiles, SourcedFile } from './sourcedFiles';

export interface ScriptFileCheck {
  diagnostics: EngineDiagnostic[];
  sourced: SourcedFile[];
}

interface CachedCheck extends ScriptFileCheck {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

/**
 * The built-in checks of a script file, read again only when its size or times change: a config
 * is analysed on every keystroke, its scripts change far less often.
 */
const cache = new Map<string, CachedCheck>();
const CACHE_ENTRIES = 64;

export function checkScriptFile(localPath: string, info: FileInfo, fileSystem: FileSystem): ScriptFileCheck {
  const cached = cache.get(localPath);
  if (cached && cached.size === info.size && cached.mtimeMs === info.mtimeMs && cached.ctimeMs === info.ctimeMs) return cached;
  const bytes = fileSystem.readFile(localPath, defaultMaxScriptBytes);
  // Unreadable to us (permissions) says nothing about the agent, which runs as root.
  const check: ScriptFileCheck = bytes ? { diagnostics: checkScript(bytes, { fileSize: info.size, file: localPath }), sourced: findSourcedFiles(bytes) } : { diagnostics: [], sourced: [] };
  if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(localPath, { ...check, size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs });
  return check;
}
