import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as l10n from '@vscode/l10n';
import { ScaffoldError, ScaffoldFile, ScaffoldPlan } from './types';

export interface WriteOptions {
  /** Replace existing files without asking. */
  force?: boolean;
  /** Asked once with the names of the files that exist; false keeps everything as it is. */
  confirmOverwrite?: (existing: string[]) => boolean | Promise<boolean>;
}

export interface WriteResult {
  /** Absolute paths, in the plan's order. */
  written: string[];
  /** The subset of `written` that replaced a file. */
  replaced: string[];
  /** True when the user declined to overwrite: nothing was written. */
  cancelled: boolean;
}

/** A name that stays inside the target folder: no separators, no `..`, nothing hidden. */
export function isPlainFileName(name: string): boolean {
  return name.length > 0 && name.length <= 255 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..' && path.basename(name) === name;
}

function lstatOrUndefined(target: string): fs.Stats | undefined {
  return fs.lstatSync(target, { throwIfNoEntry: false });
}

/**
 * Writes one file so that nobody ever sees it half-written or with a wider mode: a new temp file
 * in the same folder, created exclusively with the final mode (O_EXCL and O_NOFOLLOW, so a planted
 * link is never followed), then renamed over the target. A rename replaces a symbolic link itself,
 * never the file it points to. Where nothing may be replaced, link() is used instead: it fails if
 * the target appeared in the meantime.
 */
export function writeFileAtomic(target: string, content: string, mode: number, replace: boolean, owner?: { uid: number; gid: number }): void {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
  let descriptor: number | undefined;
  try {
    descriptor = fs.openSync(temp, flags, mode);
    fs.fchmodSync(descriptor, mode); // the umask may have taken bits away
    if (owner) fs.fchownSync(descriptor, owner.uid, owner.gid);
    fs.writeSync(descriptor, content);
    fs.fsyncSync(descriptor);
    fs.closeSync(descriptor);
    descriptor = undefined;
    if (replace) {
      fs.renameSync(temp, target);
    } else {
      fs.linkSync(temp, target);
      fs.unlinkSync(temp);
    }
  } catch (error) {
    if (descriptor !== undefined) fs.closeSync(descriptor);
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function syncFolder(dir: string): void {
  try {
    const descriptor = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(descriptor);
    } finally {
      fs.closeSync(descriptor);
    }
  } catch {
    // Not every file system lets a folder be opened for fsync; the renames are done anyway.
  }
}

function checkNames(files: readonly ScaffoldFile[]): void {
  const seen = new Set<string>();
  for (const file of files) {
    if (!isPlainFileName(file.name)) throw new ScaffoldError(l10n.t('Refusing to write "{0}": a scaffold file name must be a plain name inside the target folder.', file.name), 'unsafeName');
    if (seen.has(file.name)) throw new ScaffoldError(l10n.t('The scaffold names "{0}" twice.', file.name), 'duplicateName');
    seen.add(file.name);
  }
}

/**
 * Writes a plan's files into `outDir`. Existing files are replaced only with `force` or after
 * `confirmOverwrite` said yes; without either, an existing file is an error and nothing is
 * written. Every file gets its final mode before it appears.
 */
export async function writeScaffold(plan: ScaffoldPlan, outDir: string, options: WriteOptions = {}): Promise<WriteResult> {
  checkNames(plan.files);
  const dir = path.resolve(outDir);
  const dirInfo = fs.statSync(dir, { throwIfNoEntry: false });
  if (dirInfo && !dirInfo.isDirectory()) throw new ScaffoldError(l10n.t('{0} exists and is not a folder.', dir), 'notAFolder');
  if (!dirInfo) fs.mkdirSync(dir, { recursive: true });

  const existing: string[] = [];
  for (const file of plan.files) {
    const info = lstatOrUndefined(path.join(dir, file.name));
    if (!info) continue;
    if (info.isDirectory()) throw new ScaffoldError(l10n.t('{0} is a folder; move it away first.', path.join(dir, file.name)), 'targetIsFolder');
    existing.push(file.name);
  }
  if (existing.length && !options.force) {
    if (!options.confirmOverwrite) {
      throw new ScaffoldError(l10n.t('These files exist already in {0}: {1}. Nothing was written; confirm the overwrite (--force) or choose another folder.', dir, existing.join(', ')), 'exists');
    }
    if (!(await options.confirmOverwrite(existing))) return { written: [], replaced: [], cancelled: true };
  }

  const written: string[] = [];
  const replaced: string[] = [];
  for (const file of plan.files) {
    const target = path.join(dir, file.name);
    const replace = existing.includes(file.name);
    writeFileAtomic(target, file.content, file.mode, replace);
    written.push(target);
    if (replace) replaced.push(target);
  }
  syncFolder(dir);
  return { written, replaced, cancelled: false };
}

/**
 * Creates `folder` below `root` one level at a time, refusing a symbolic link on the way that
 * leads outside the root (root/etc → elsewhere), before anything is created through it.
 */
function makeFoldersInside(root: string, folder: string): void {
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const realRoot = fs.realpathSync(root);
  const inside = (candidate: string): boolean => realRoot === '/' || candidate === realRoot || candidate.startsWith(realRoot + path.sep);
  let current = path.resolve(root);
  for (const part of path.relative(current, path.resolve(folder)).split(path.sep).filter(Boolean)) {
    current = path.join(current, part);
    const info = lstatOrUndefined(current);
    if (!info) {
      fs.mkdirSync(current, { mode: 0o700 });
    } else if (info.isSymbolicLink() && !inside(fs.realpathSync(current))) {
      throw new ScaffoldError(l10n.t('Refusing to install into {0}: it is a symbolic link that leads outside {1}.', current, root), 'outsideRoot');
    }
  }
}

export interface InstallResult {
  installed: string[];
  /** Options files left as they were: they hold the user's credentials. */
  kept: string[];
  /** Copies of replaced files that differed from the new ones. */
  backups: string[];
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}

/**
 * Does what install.sh does, from the editor on the VM itself (Remote-SSH as root): each file
 * goes to its VM path under `root`, owned by root, with its final mode, in one rename; the config
 * last, so that the agent never reads a config whose scripts are missing.
 */
export function installScaffold(plan: ScaffoldPlan, root = '/'): InstallResult {
  checkNames(plan.files);
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (path.resolve(root) === '/' && !isRoot) {
    throw new ScaffoldError(l10n.t('Installing into /etc/azure needs root: the agent runs only files owned by root. Run install.sh with sudo instead.'), 'needsRoot');
  }
  const owner = isRoot ? { uid: 0, gid: 0 } : undefined;
  const deployed = plan.files.filter((file) => file.vmPath);
  const ordered = [...deployed.filter((file) => file.role !== 'config'), ...deployed.filter((file) => file.role === 'config')];
  const result: InstallResult = { installed: [], kept: [], backups: [] };
  for (const file of ordered) {
    const target = path.join(root, file.vmPath ?? '');
    makeFoldersInside(root, path.dirname(target));
    const info = lstatOrUndefined(target);
    if (info?.isDirectory()) throw new ScaffoldError(l10n.t('{0} is a folder; move it away first.', target), 'targetIsFolder');
    if (info && file.keepExisting) {
      result.kept.push(target);
      continue;
    }
    if (info?.isFile() && fs.readFileSync(target, 'utf8') !== file.content) {
      const backup = `${target}.bak-${timestamp()}`;
      fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
      fs.chmodSync(backup, info.mode & 0o7777);
      result.backups.push(backup);
    }
    writeFileAtomic(target, file.content, file.mode, true, owner);
    result.installed.push(target);
  }
  return result;
}
