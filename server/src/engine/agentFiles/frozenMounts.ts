/**
 * Which mount points the agent freezes, predicted from the mount table alone (agent-config-files.md
 * §6; `mounts.py:Mounts.__init__`, `Utils/DiskUtil.py:get_mount_points`, `fsfreezer.py:freeze_safe`).
 * The agent takes the mount points of block devices (lsblk) that `mount` lists, keeps the last
 * mount of each point, drops file system types other than ext3/ext4/xfs/btrfs, reverses the list,
 * leaves out loop devices, the resource disk and MountsToSkip, and freezes `/` last, always.
 * Nothing is run: the caller reads the table and answers which sources are block devices.
 */

export interface MountEntry {
  source: string;
  mountPoint: string;
  fsType: string;
  /** Zero-based line in the mount table. */
  line: number;
}

export type NotFrozenReason = 'network' | 'fsType' | 'loop' | 'resourceDisk' | 'mountsToSkip' | 'hidden';

export interface FrozenMounts {
  /** In the order the agent passes them to safefreeze; `/` last. */
  frozen: MountEntry[];
  notFrozen: Array<MountEntry & { reason: NotFrozenReason }>;
}

export interface BlockDeviceAnswer {
  block: boolean;
  /** True when the answer is a guess (the tree shows no /dev or /sys to look in). */
  assumed?: boolean;
}

export interface FrozenMountsInput {
  mountTable: string;
  isBlockDevice: (source: string) => BlockDeviceAnswer;
  /** The mount point the agent would detect as the resource disk, if known. */
  resourceDiskMountPoint?: string;
  mountsToSkip: readonly string[];
}

const FREEZABLE = new Set(['ext3', 'ext4', 'xfs', 'btrfs']);
const NETWORK = /nfs|cifs|smb|fuse|sshfs|glusterfs|ceph|9p|davfs/i;

/** `/proc/mounts` escapes space, tab, newline and backslash as octal (`\040`). */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function parseMountTable(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  text.split('\n').forEach((raw, line) => {
    const fields = raw.trim().split(/\s+/);
    if (fields.length < 3 || !fields[1].startsWith('/')) return;
    entries.push({ source: unescapeOctal(fields[0]), mountPoint: unescapeOctal(fields[1]), fsType: fields[2], line });
  });
  return entries;
}

export function predictFrozenMounts(input: FrozenMountsInput): FrozenMounts & { assumedBlockDevices: boolean } {
  const entries = parseMountTable(input.mountTable);
  // get_mount_points: the last mount of a point wins, the table order is kept.
  const lastMount = new Map<string, MountEntry>();
  for (const entry of entries) lastMount.set(entry.mountPoint, entry);
  const notFrozen: FrozenMounts['notFrozen'] = [];
  const visible: MountEntry[] = [];
  for (const entry of entries) {
    if (lastMount.get(entry.mountPoint) === entry) visible.push(entry);
    else if (FREEZABLE.has(entry.fsType)) notFrozen.push({ ...entry, reason: 'hidden' });
  }
  let assumedBlockDevices = false;
  const candidates: MountEntry[] = [];
  for (const entry of visible) {
    const answer = input.isBlockDevice(entry.source);
    if (answer.assumed) assumedBlockDevices = true;
    if (!answer.block) {
      // No block device, no lsblk line: never a candidate. Network and fuse file systems are worth saying so.
      if (NETWORK.test(entry.fsType)) notFrozen.push({ ...entry, reason: 'network' });
      continue;
    }
    if (!FREEZABLE.has(entry.fsType)) notFrozen.push({ ...entry, reason: 'fsType' });
    else candidates.push(entry);
  }
  candidates.reverse();
  const frozen: MountEntry[] = [];
  let root: MountEntry | undefined;
  const isLoop = (entry: MountEntry) => /^\/dev\/loop\d*$/.test(entry.source);
  for (const entry of candidates) {
    if (entry.mountPoint === '/') {
      root = entry;
      continue;
    }
    const reason: NotFrozenReason | undefined = input.mountsToSkip.includes(entry.mountPoint)
      ? 'mountsToSkip'
      : entry.mountPoint === input.resourceDiskMountPoint
        ? 'resourceDisk'
        : isLoop(entry)
          ? 'loop'
          : undefined;
    if (reason) notFrozen.push({ ...entry, reason });
    else frozen.push(entry);
  }
  if (root && !isLoop(root)) frozen.push(root);
  notFrozen.sort((a, b) => a.line - b.line);
  return { frozen, notFrozen, assumedBlockDevices };
}
