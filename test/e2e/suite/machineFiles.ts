import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

interface Saved {
  file: string;
  /** Where the original was copied, with its mode and owner; absent when there was no file. */
  backup?: { copy: string; mode: number; uid: number; gid: number } | { link: string };
}

/**
 * Files a test writes on the machine itself (the VM's /etc/azure, which only the real paths can
 * stand for), with what was there saved first and put back by `restore()`: the machine is left as
 * it was found, whatever the test did in between.
 */
export class MachineFiles {
  private readonly saved: Saved[] = [];
  private readonly createdFolders: string[] = [];
  private readonly backupFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-e2e-machine-backup-'));

  write(file: string, content: string, mode: number): void {
    this.save(file);
    this.makeFolder(path.dirname(file));
    fs.rmSync(file, { force: true });
    fs.writeFileSync(file, content, { mode });
    fs.chmodSync(file, mode);
  }

  /** Makes sure a file is absent (a host conf or workload.conf would change what the agent does). */
  remove(file: string): void {
    this.save(file);
    fs.rmSync(file, { force: true });
  }

  restore(): void {
    for (const { file, backup } of this.saved.reverse()) {
      fs.rmSync(file, { force: true });
      if (backup && 'link' in backup) fs.symlinkSync(backup.link, file);
      else if (backup) {
        fs.copyFileSync(backup.copy, file);
        fs.chownSync(file, backup.uid, backup.gid);
        fs.chmodSync(file, backup.mode);
      }
    }
    this.saved.length = 0;
    for (const folder of this.createdFolders.reverse()) {
      // Only if empty: anything else put there is not ours to delete.
      try {
        fs.rmdirSync(folder);
      } catch {
        // not empty, or already gone
      }
    }
    this.createdFolders.length = 0;
    fs.rmSync(this.backupFolder, { recursive: true, force: true });
  }

  private save(file: string): void {
    if (this.saved.some((entry) => entry.file === file)) return;
    const info = fs.lstatSync(file, { throwIfNoEntry: false });
    if (!info) {
      this.saved.push({ file });
    } else if (info.isSymbolicLink()) {
      this.saved.push({ file, backup: { link: fs.readlinkSync(file) } });
    } else {
      const copy = path.join(this.backupFolder, String(this.saved.length));
      fs.copyFileSync(file, copy);
      this.saved.push({ file, backup: { copy, mode: info.mode & 0o7777, uid: info.uid, gid: info.gid } });
    }
  }

  private makeFolder(folder: string): void {
    if (fs.existsSync(folder)) return;
    this.makeFolder(path.dirname(folder));
    fs.mkdirSync(folder);
    this.createdFolders.push(folder);
  }
}
