import * as fs from 'fs';
import * as path from 'path';
import { agentScriptConfig } from '../agentFiles/configPath';
import { nodeFileSystem } from '../fs/fileSystem';
import type { LogSource } from './model';

/** Where the agent writes on the VM (agent-logs.md §1.1; older agents add a version folder below). */
export const AGENT_LOG_FOLDER = '/var/log/azure/Microsoft.Azure.RecoveryServices.VMSnapshotLinux';
/** Each extension version has `Microsoft.Azure.RecoveryServices.VMSnapshotLinux-<version>/status/` here. */
export const WAAGENT_FOLDER = '/var/lib/waagent';
const EXTENSION_DIR = /^Microsoft\.Azure\.RecoveryServices\.VMSnapshotLinux-[\d.]+$/;

/** extension.log is never rotated and grows for years: its last part holds the recent runs. */
const MAX_BYTES_PER_FILE = 32 * 1024 * 1024;
const LOG_NAME = /^(?:extension\.log|shell\.log|waagent\.log(?:\.\d+)?|\d+\.status|\d+_status|VMSnapshotScriptPluginConfig\.json)$/;

function list(folder: string): string[] {
  try {
    return fs.readdirSync(folder).map((name) => path.join(folder, name));
  } catch {
    return [];
  }
}

/** The VM's own files: the agent's log folder (and the versioned folders of older agents) and every status folder. */
export function vmLogPaths(root = '/'): string[] {
  const logFolder = path.join(root, AGENT_LOG_FOLDER);
  const paths = [...list(logFolder).filter((file) => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()).flatMap(list), ...list(logFolder)];
  for (const extension of list(path.join(root, WAAGENT_FOLDER)).filter((folder) => EXTENSION_DIR.test(path.basename(folder)))) paths.push(...list(path.join(extension, 'status')));
  const logs = paths.filter((file) => LOG_NAME.test(path.basename(file)) && fs.statSync(file, { throwIfNoEntry: false })?.isFile());
  // The script config the agent reads too (the host conf may name another file), so that findings point at the line responsible.
  const config = agentScriptConfig(nodeFileSystem, root).localPath;
  return fs.statSync(config, { throwIfNoEntry: false })?.isFile() ? [...logs, config] : logs;
}

/** The files below a folder that the explainer reads, a few levels deep. */
function filesBelow(folder: string, depth: number): string[] {
  const found: string[] = [];
  for (const entry of list(folder)) {
    const info = fs.lstatSync(entry, { throwIfNoEntry: false });
    if (info?.isDirectory() && depth > 0) found.push(...filesBelow(entry, depth - 1));
    else if (info?.isFile() && LOG_NAME.test(path.basename(entry))) found.push(entry);
  }
  return found.sort();
}

function readTail(file: string): string | undefined {
  let handle: number | undefined;
  try {
    handle = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const size = fs.fstatSync(handle).size;
    const length = Math.min(size, MAX_BYTES_PER_FILE);
    const buffer = Buffer.alloc(length);
    fs.readSync(handle, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    // Started mid-file: drop the cut first line.
    return size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } catch {
    return undefined;
  } finally {
    if (handle !== undefined) fs.closeSync(handle);
  }
}

export interface ReadResult {
  sources: LogSource[];
  unreadable: string[];
}

/** Reads files and folders (or, with none, the VM's own files under `root`). */
export function readLogSources(paths: readonly string[], root?: string): ReadResult {
  const files = paths.length === 0 ? vmLogPaths(root) : paths.flatMap((entry) => (fs.statSync(entry, { throwIfNoEntry: false })?.isDirectory() ? filesBelow(entry, 6) : [entry]));
  const agentConfig = paths.length === 0 ? agentScriptConfig(nodeFileSystem, root).localPath : undefined;
  const sources: LogSource[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    const text = readTail(file);
    if (text === undefined) unreadable.push(file);
    else sources.push({ path: file, text, ...(file === agentConfig ? { kind: 'scriptConfig' as const } : {}) });
  }
  return { sources, unreadable };
}

/** Whether any of the agent's own files (not only the script config) is among the sources. */
export function hasAgentFiles(sources: readonly LogSource[]): boolean {
  return sources.some((source) => source.kind !== 'scriptConfig' && path.basename(source.path) !== 'VMSnapshotScriptPluginConfig.json');
}
