"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.isPlainFileName = isPlainFileName;
exports.writeFileAtomic = writeFileAtomic;
exports.writeScaffold = writeScaffold;
exports.installScaffold = installScaffold;
const crypto = __importStar(require("crypto"));
const fs = __importStar(require("fs"));
const path = __importStar(require("path"));
const l10n = __importStar(require("@vscode/l10n"));
const types_1 = require("./types");
/** A name that stays inside the target folder: no separators, no `..`, nothing hidden. */
function isPlainFileName(name) {
    return name.length > 0 && name.length <= 255 && !/[/\\\0]/.test(name) && name !== '.' && name !== '..' && path.basename(name) === name;
}
function lstatOrUndefined(target) {
    return fs.lstatSync(target, { throwIfNoEntry: false });
}
/**
 * Writes one file so that nobody ever sees it half-written or with a wider mode: a new temp file
 * in the same folder, created exclusively with the final mode (O_EXCL and O_NOFOLLOW, so a planted
 * link is never followed), then renamed over the target. A rename replaces a symbolic link itself,
 * never the file it points to. Where nothing may be replaced, link() is used instead: it fails if
 * the target appeared in the meantime.
 */
function writeFileAtomic(target, content, mode, replace, owner) {
    const dir = path.dirname(target);
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
    const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW;
    let descriptor;
    try {
        descriptor = fs.openSync(temp, flags, mode);
        fs.fchmodSync(descriptor, mode); // the umask may have taken bits away
        if (owner)
            fs.fchownSync(descriptor, owner.uid, owner.gid);
        fs.writeSync(descriptor, content);
        fs.fsyncSync(descriptor);
        fs.closeSync(descriptor);
        descriptor = undefined;
        if (replace) {
            fs.renameSync(temp, target);
        }
        else {
            fs.linkSync(temp, target);
            fs.unlinkSync(temp);
        }
    }
    catch (error) {
        if (descriptor !== undefined)
            fs.closeSync(descriptor);
        fs.rmSync(temp, { force: true });
        throw error;
    }
}
function syncFolder(dir) {
    try {
        const descriptor = fs.openSync(dir, 'r');
        try {
            fs.fsyncSync(descriptor);
        }
        finally {
            fs.closeSync(descriptor);
        }
    }
    catch {
        // Not every file system lets a folder be opened for fsync; the renames are done anyway.
    }
}
function checkNames(files) {
    const seen = new Set();
    for (const file of files) {
        if (!isPlainFileName(file.name))
            throw new types_1.ScaffoldError(l10n.t('Refusing to write "{0}": a scaffold file name must be a plain name inside the target folder.', file.name), 'unsafeName');
        if (seen.has(file.name))
            throw new types_1.ScaffoldError(l10n.t('The scaffold names "{0}" twice.', file.name), 'duplicateName');
        seen.add(file.name);
    }
}
/**
 * Writes a plan's files into `outDir`. Existing files are replaced only with `force` or after
 * `confirmOverwrite` said yes; without either, an existing file is an error and nothing is
 * written. Every file gets its final mode before it appears.
 */
async function writeScaffold(plan, outDir, options = {}) {
    checkNames(plan.files);
    const dir = path.resolve(outDir);
    const dirInfo = fs.statSync(dir, { throwIfNoEntry: false });
    if (dirInfo && !dirInfo.isDirectory())
        throw new types_1.ScaffoldError(l10n.t('{0} exists and is not a folder.', dir), 'notAFolder');
    if (!dirInfo)
        fs.mkdirSync(dir, { recursive: true });
    const existing = [];
    for (const file of plan.files) {
        const info = lstatOrUndefined(path.join(dir, file.name));
        if (!info)
            continue;
        if (info.isDirectory())
            throw new types_1.ScaffoldError(l10n.t('{0} is a folder; move it away first.', path.join(dir, file.name)), 'targetIsFolder');
        existing.push(file.name);
    }
    if (existing.length && !options.force) {
        if (!options.confirmOverwrite) {
            throw new types_1.ScaffoldError(l10n.t('These files exist already in {0}: {1}. Nothing was written; confirm the overwrite (--force) or choose another folder.', dir, existing.join(', ')), 'exists');
        }
        if (!(await options.confirmOverwrite(existing)))
            return { written: [], replaced: [], cancelled: true };
    }
    const written = [];
    const replaced = [];
    for (const file of plan.files) {
        const target = path.join(dir, file.name);
        const replace = existing.includes(file.name);
        writeFileAtomic(target, file.content, file.mode, replace);
        written.push(target);
        if (replace)
            replaced.push(target);
    }
    syncFolder(dir);
    return { written, replaced, cancelled: false };
}
function timestamp() {
    return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
}
/**
 * Does what install.sh does, from the editor on the VM itself (Remote-SSH as root): each file
 * goes to its VM path under `root`, owned by root, with its final mode, in one rename; the config
 * last, so that the agent never reads a config whose scripts are missing.
 */
function installScaffold(plan, root = '/') {
    checkNames(plan.files);
    const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
    if (path.resolve(root) === '/' && !isRoot) {
        throw new types_1.ScaffoldError(l10n.t('Installing into /etc/azure needs root: the agent runs only files owned by root. Run install.sh with sudo instead.'), 'needsRoot');
    }
    const owner = isRoot ? { uid: 0, gid: 0 } : undefined;
    const deployed = plan.files.filter((file) => file.vmPath);
    const ordered = [...deployed.filter((file) => file.role !== 'config'), ...deployed.filter((file) => file.role === 'config')];
    const result = { installed: [], kept: [], backups: [] };
    for (const file of ordered) {
        const target = path.join(root, file.vmPath ?? '');
        fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
        const info = lstatOrUndefined(target);
        if (info?.isDirectory())
            throw new types_1.ScaffoldError(l10n.t('{0} is a folder; move it away first.', target), 'targetIsFolder');
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
//# sourceMappingURL=write.js.map