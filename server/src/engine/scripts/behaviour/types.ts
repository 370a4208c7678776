import type { Severity } from '../../types';
import type { ScriptFacts } from './facts';

export type ScriptSide = 'pre' | 'post';

/** What is known about how the agent runs the script; each field is optional. */
export interface BehaviourContext {
  /** Which script the agent runs it as (a helper inherits the side of the script that runs it). */
  side?: ScriptSide;
  /** The agent's effective `fsFreezeEnabled` (its default is true). */
  fsFreezeEnabled?: boolean;
  /** The agent's effective time limit in seconds; null for none, undefined when unknown. */
  timeoutSeconds?: number | null;
  /**
   * Facts of every file of the same script (the script and what it sources or runs): a
   * watchdog or a test in a helper counts for the script too.
   */
  unit?: ScriptFacts[];
}

/** A finding at offsets of the script text; the caller turns offsets into ranges. */
export interface BehaviourFinding {
  code: string;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  data: { rule: string; [key: string]: unknown };
}

export type BehaviourRule = (facts: ScriptFacts, context: BehaviourContext) => BehaviourFinding[];
