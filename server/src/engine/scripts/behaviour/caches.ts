import { StampedCache } from '../../fs/stampedCache';
import type { EngineDiagnostic } from '../../types';
import type { ScriptFacts } from './facts';

export interface UnitFile {
  localPath: string;
  text: string;
  facts: ScriptFacts;
}

export interface BehaviourResult {
  diagnostics: EngineDiagnostic[];
  /** Every file read: the scripts and what they run or source. */
  files: string[];
}

/**
 * What the behaviour rules read and found, owned by one engine instance: the facts of each file
 * while its size and times stay the same, and the findings of each set of unchanged files and
 * settings. A config is analysed on every keystroke; its scripts change far less often, and
 * reading a long script costs more than the rest of the analysis.
 */
export class BehaviourCaches {
  readonly facts = new StampedCache<UnitFile | undefined>(64);
  private readonly results = new Map<string, BehaviourResult>();
  /** Findings per view of the disk (`fileSystem.generation`): within one, the same scripts read the same. */
  private byGeneration = new WeakMap<object, Map<string, BehaviourResult>>();

  result(key: string): BehaviourResult | undefined {
    return this.results.get(key);
  }

  remember(key: string, result: BehaviourResult): BehaviourResult {
    if (this.results.size >= 16) this.results.delete(this.results.keys().next().value!);
    this.results.set(key, result);
    return result;
  }

  resultIn(generation: object, request: string): BehaviourResult | undefined {
    return this.byGeneration.get(generation)?.get(request);
  }

  rememberIn(generation: object, request: string, result: BehaviourResult): BehaviourResult {
    let results = this.byGeneration.get(generation);
    if (!results) this.byGeneration.set(generation, (results = new Map()));
    results.set(request, result);
    return result;
  }

  clear(): void {
    this.facts.clear();
    this.results.clear();
    this.byGeneration = new WeakMap();
  }
}
