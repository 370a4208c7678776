import type { FileSystem } from '../fs/fileSystem';
import type { ScaffoldFacts } from '../checks/scaffoldChecks';
import { StampedCache } from '../fs/stampedCache';
import { BehaviourCaches } from '../scripts/behaviour/caches';
import type { ScriptFileCheck } from '../scripts/scriptFileChecks';
import type { AgentFilesForConfig } from '../agentFiles/configPath';

/**
 * What every analysis step of one engine instance shares: its window on the disk, its caches
 * and who is looking. Created by `createEngine`; never a module-level global.
 */
export interface EngineContext {
  fileSystem: FileSystem;
  /** The agent's INI files (host conf, workload.conf), read again only when they change. */
  iniTexts: StampedCache<string | undefined>;
  /** The built-in checks of script files, read again only when they change. */
  scriptChecks: StampedCache<ScriptFileCheck>;
  /** What `vmsnapshot scaffold` wrote into a pre-script (its tag and own bound), read again only when it changes. */
  scaffoldFacts: StampedCache<ScaffoldFacts | undefined>;
  /** What the behaviour rules read and found, kept while the scripts stay the same. */
  behaviour: BehaviourCaches;
  /** What /etc/azure's other files decide, per `fileSystem.generation` and config place. */
  agentFilesByGeneration: WeakMap<object, Map<string, AgentFilesForConfig>>;
  /** The user this process runs as, named when a file cannot be read by it. */
  userName: string;
}

export function createEngineContext(fileSystem: FileSystem, userName: string): EngineContext {
  return { fileSystem, iniTexts: new StampedCache(16), scriptChecks: new StampedCache(64), scaffoldFacts: new StampedCache(16), behaviour: new BehaviourCaches(), agentFilesByGeneration: new WeakMap(), userName };
}
