/**
 * What a command does to the application: the quiesce actions a pre-script takes and the resume
 * actions that undo them. One table, read by the rules that judge a quiesce (bounded? tested?),
 * a resume (is there state?) and the pairing of the two scripts.
 */
import type { AppId } from '../../scaffold/types';
import type { CommandFact } from './facts';

export type QuiesceKind =
  | 'readOnly'
  | 'dockerPause'
  | 'containerStop'
  | 'serviceStop'
  | 'fsyncLock'
  | 'oracleBackup'
  | 'db2Suspend'
  | 'externalFreeze'
  | 'fsfreeze'
  | 'mysqlLock'
  | 'pgBackup';

export interface QuiesceAction {
  kind: QuiesceKind;
  /** What is quiesced, as written in messages (`docker pause`, `SET GLOBAL read_only`). */
  label: string;
  /** Outlives the script by itself (no session to end): a post-script that never comes leaves it. */
  persistent: boolean;
  /** The scaffold template whose pattern bounds it. */
  template?: AppId;
  /** What the post-script runs to undo it, as written in messages. */
  undoLabel: string;
}

const KILLS = new Set(['kill', 'pkill', 'killall']);
const FSYNC_LOCK = /\bfsyncLock\s*\(|\bfsync\s*:\s*1\s*,\s*lock\s*:\s*(true|1)\b/;
const FSYNC_UNLOCK = /\bfsyncUnlock\s*(\(|:)/;

/** Runs what its text says: not a message, and not `cat`/`tee` writing the text into a file. */
const runsText = (fact: CommandFact): boolean => !fact.messaging && !fact.opaque && fact.name !== 'cat' && fact.name !== 'tee';

function subcommand(fact: CommandFact): string | undefined {
  return fact.args.find((word) => !(word.value ?? '').startsWith('-'))?.value;
}

function isCompose(fact: CommandFact): boolean {
  return fact.name === 'docker-compose' || ((fact.name === 'docker' || fact.name === 'podman') && fact.args[0]?.value === 'compose');
}

function composeVerb(fact: CommandFact): string | undefined {
  const words = fact.name === 'docker-compose' ? fact.args : fact.args.slice(1);
  return words.find((word) => !(word.value ?? '').startsWith('-'))?.value;
}

function serviceVerb(fact: CommandFact): string | undefined {
  if (fact.name === 'systemctl') return subcommand(fact);
  if (fact.name === 'service') return fact.args[1]?.value;
  return undefined;
}

export const FTWRL = /\bFLUSH\s+TABLES?\b[^;]*\bWITH\s+READ\s+LOCK\b/i;
export const LOCK_TABLES = /(^|[^A-Za-z_])LOCK\s+TABLES?\b/i;
export const UNLOCK_TABLES = /\bUNLOCK\s+TABLES?\b/i;
export const PG_BACKUP_START = /\bpg_backup_start\s*\(|\bpg_start_backup\s*\(/i;
/** Non-exclusive: `pg_backup_start(…)` always, `pg_start_backup(l, f, false)` before 15. */
export const PG_NON_EXCLUSIVE_START = /\bpg_backup_start\s*\(|\bpg_start_backup\s*\([^)]*,[^)]*,\s*false\s*\)/i;
export const PG_BACKUP_STOP = /\bpg_backup_stop\s*\(|\bpg_stop_backup\s*\(/i;

/** The quiesce a command performs, if any. */
export function quiesceOf(fact: CommandFact): QuiesceAction | undefined {
  const { name, text } = fact;
  if ((name === 'docker' || name === 'podman') && subcommand(fact) === 'pause') {
    return { kind: 'dockerPause', label: `${name} pause`, persistent: true, template: 'docker', undoLabel: `${name} unpause` };
  }
  if (isCompose(fact) && (composeVerb(fact) === 'stop' || composeVerb(fact) === 'pause')) {
    return { kind: 'containerStop', label: `compose ${composeVerb(fact)}`, persistent: true, template: 'docker', undoLabel: composeVerb(fact) === 'pause' ? 'compose unpause' : 'compose start' };
  }
  if ((name === 'docker' || name === 'podman') && subcommand(fact) === 'stop') {
    return { kind: 'containerStop', label: `${name} stop`, persistent: true, template: 'docker', undoLabel: `${name} start` };
  }
  if (serviceVerb(fact) === 'stop') {
    return { kind: 'serviceStop', label: `${name} … stop`, persistent: true, template: 'systemd', undoLabel: name === 'service' ? 'service … start' : 'systemctl start' };
  }
  if ((name === 'fsfreeze' || name === 'xfs_freeze') && fact.args.some((word) => word.value === '-f' || word.value === '--freeze')) {
    return { kind: 'fsfreeze', label: `${name} -f`, persistent: true, undoLabel: `${name} -u` };
  }
  if (!runsText(fact)) return undefined;
  if (/\bSET\s+(@@)?GLOBAL\s+(super_)?read_only\s*=\s*['"]?(ON|1|TRUE)\b/i.test(text)) {
    return { kind: 'readOnly', label: 'SET GLOBAL read_only', persistent: true, template: 'mysql', undoLabel: 'SET GLOBAL read_only = OFF' };
  }
  if (FSYNC_LOCK.test(text)) {
    return { kind: 'fsyncLock', label: 'fsyncLock', persistent: true, template: 'mongodb', undoLabel: 'fsyncUnlock' };
  }
  if (/\bBEGIN\s+BACKUP\b/i.test(text)) {
    return { kind: 'oracleBackup', label: 'BEGIN BACKUP', persistent: true, template: 'oracle', undoLabel: 'END BACKUP' };
  }
  if (/\bSET\s+WRITE\s+SUSPEND\b/i.test(text)) {
    return { kind: 'db2Suspend', label: 'SET WRITE SUSPEND', persistent: true, undoLabel: 'SET WRITE RESUME' };
  }
  if (/\bExternalFreeze\b/.test(text)) {
    return { kind: 'externalFreeze', label: 'ExternalFreeze', persistent: true, undoLabel: 'ExternalThaw' };
  }
  if (FTWRL.test(text) || LOCK_TABLES.test(text.replace(new RegExp(UNLOCK_TABLES.source, 'gi'), ''))) {
    return { kind: 'mysqlLock', label: FTWRL.test(text) ? 'FLUSH TABLES WITH READ LOCK' : 'LOCK TABLES', persistent: false, template: 'mysql', undoLabel: 'ending the session that holds the lock' };
  }
  if (PG_BACKUP_START.test(text)) {
    return { kind: 'pgBackup', label: /pg_backup_start/i.test(text) ? 'pg_backup_start' : 'pg_start_backup', persistent: false, template: 'postgresql', undoLabel: 'pg_backup_stop' };
  }
  return undefined;
}

/** True when the command undoes the given kind of quiesce (or ends the session that holds it). */
export function undoes(fact: CommandFact, kind: QuiesceKind): boolean {
  const { name, text } = fact;
  if (fact.messaging || fact.opaque) return false;
  switch (kind) {
    case 'dockerPause':
      return (name === 'docker' || name === 'podman') && subcommand(fact) === 'unpause';
    case 'containerStop':
      return ((name === 'docker' || name === 'podman') && ['start', 'restart'].includes(subcommand(fact) ?? ''))
        || (isCompose(fact) && ['start', 'up', 'restart', 'unpause'].includes(composeVerb(fact) ?? ''));
    case 'serviceStop':
      return ['start', 'restart'].includes(serviceVerb(fact) ?? '');
    case 'fsfreeze':
      return (name === 'fsfreeze' || name === 'xfs_freeze') && fact.args.some((word) => word.value === '-u' || word.value === '--unfreeze');
    case 'readOnly':
      return /\bread_only\s*=\s*['"]?(OFF|0|FALSE)\b/i.test(text);
    case 'fsyncLock':
      return FSYNC_UNLOCK.test(text);
    case 'oracleBackup':
      return /\bEND\s+BACKUP\b/i.test(text);
    case 'db2Suspend':
      return /\bSET\s+WRITE\s+RESUME\b/i.test(text);
    case 'externalFreeze':
      return /\bExternalThaw\b/.test(text);
    case 'mysqlLock':
      return KILLS.has(name ?? '') || /\bKILL\s+(CONNECTION\s+|QUERY\s+)?[$\d]/i.test(text);
    case 'pgBackup':
      return KILLS.has(name ?? '') || PG_BACKUP_STOP.test(text) || /\bpg_terminate_backend\b/.test(text);
  }
}

/** A command that resumes something: what a post-script runs. */
export function isResume(fact: CommandFact): boolean {
  const kinds: QuiesceKind[] = ['dockerPause', 'containerStop', 'serviceStop', 'fsfreeze', 'readOnly', 'fsyncLock', 'oracleBackup', 'db2Suspend', 'externalFreeze'];
  return kinds.some((kind) => undoes(fact, kind)) || (fact.client === 'mysql' && UNLOCK_TABLES.test(fact.text));
}
