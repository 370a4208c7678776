/**
 * What the agent does after its checks and the scripts (`handle.py:daemon`, PluginHost path):
 * whether it takes the snapshot, whether the file systems are frozen, and which consistency the
 * portal shows. From the decision table in the ground-truth notes (agent-config-files.md §5),
 * which was produced by running the agent's own code.
 */
import type { AgentCode } from '../agentFailures';
import type { EffectiveValues } from './effective';

export type Consistency = 'application' | 'file-system' | 'crash' | 'none';

export interface BackupFlow {
  snapshot: boolean;
  frozen: boolean;
  consistency: Consistency;
  /** The backup job is reported as failed. */
  backupFails: boolean;
}

const FILE_SYSTEM_FALLBACK: BackupFlow = { snapshot: true, frozen: true, consistency: 'file-system', backupFails: false };
const NO_BACKUP: BackupFlow = { snapshot: false, frozen: false, consistency: 'none', backupFails: true };

/**
 * `code` is the predicted result; `effective` the values the agent loaded (null when it did not
 * load the config, and then the freeze stays on, whatever the config says).
 */
export function predictBackupFlow(code: AgentCode, effective: EffectiveValues | null): BackupFlow {
  const freeze = effective?.fsFreezeEnabled ?? true;
  const continueOnFailure = effective?.continueBackupOnFailure ?? true;
  switch (code) {
    case 0:
      // Reported application-consistent also with the freeze off.
      return { snapshot: true, frozen: freeze, consistency: 'application', backupFails: false };
    case 304:
    case 305:
    case 313:
    case 314:
    case 316:
    case 317:
      return FILE_SYSTEM_FALLBACK;
    case 302:
    case 303:
    case 306:
    case 307:
      // No script runs; with the freeze off nothing is frozen and it is still called file-system consistent.
      return continueOnFailure ? { snapshot: true, frozen: freeze, consistency: 'file-system', backupFails: false } : NO_BACKUP;
    case 300:
    case 308:
      return freeze && continueOnFailure ? FILE_SYSTEM_FALLBACK : NO_BACKUP;
    case 301:
    case 309:
      // The snapshot is taken before the post-script runs; its failure then decides the report.
      return freeze && continueOnFailure ? FILE_SYSTEM_FALLBACK : { snapshot: true, frozen: freeze, consistency: 'none', backupFails: true };
    case 310:
    case 311:
      return freeze ? FILE_SYSTEM_FALLBACK : NO_BACKUP;
  }
}
