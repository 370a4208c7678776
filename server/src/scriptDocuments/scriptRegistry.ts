import * as fs from 'fs';
import { URI } from 'vscode-uri';
import { AnalysisResult, isUnreadable } from '../engine/analyze';
import type { Engine } from '../engine/service/engine';
import { CONFIG_VM_PATH } from '../engine/codes';
import { findConfigFiles } from '../engine/fs/findConfigs';
import type { BehaviourRun } from '../engine/scripts/behaviour';
import { expandPathMappings, ServerSettings } from '../workspace/settings';

/**
 * Which shell scripts the agent runs, learnt from the configs that name them. Only those are
 * held to dash's rules: a helper that a script starts with `bash helper.sh` is a bash script.
 */
export class ScriptRegistry {
  /** local script path → the configs (URIs) that name it */
  private readonly fromOpenConfigs = new Map<string, Set<string>>();
  private fromScan = new Set<string>();
  /** local script path → how its config's analysis ran the behaviour rules on it */
  private readonly behaviourRuns = new Map<string, BehaviourRun>();

  private noteBehaviour(paths: Iterable<string>, analysis: AnalysisResult): void {
    if (!analysis.behaviourRun) return;
    for (const local of paths) this.behaviourRuns.set(local, analysis.behaviourRun);
  }

  /** The behaviour run of the config that names this script (or a file it sources). */
  behaviourRunFor(localPath: string): BehaviourRun | undefined {
    return this.behaviourRuns.get(localPath);
  }

  constructor(private readonly engine: Engine) {}

  noteAnalysis(configUri: string, analysis: AnalysisResult): boolean {
    let changed = false;
    const paths = new Set(agentScriptsOf(analysis));
    this.noteBehaviour(paths, analysis);
    for (const [local, configs] of this.fromOpenConfigs) {
      if (configs.has(configUri) && !paths.has(local)) {
        configs.delete(configUri);
        if (configs.size === 0) this.fromOpenConfigs.delete(local);
        changed = true;
      }
    }
    for (const local of paths) {
      const configs = this.fromOpenConfigs.get(local) ?? new Set();
      if (!configs.has(configUri)) changed = true;
      configs.add(configUri);
      this.fromOpenConfigs.set(local, configs);
    }
    return changed;
  }

  /** Reads every config in the workspace folders, and the VM's own when there is one. */
  scan(workspaceFolderUris: readonly string[], settings: ServerSettings): void {
    const workspaceFolders = workspaceFolderUris.map((folder) => URI.parse(folder).fsPath);
    const configs = workspaceFolders.flatMap((folder) => findConfigFiles(folder));
    if (fs.existsSync(CONFIG_VM_PATH)) configs.push(CONFIG_VM_PATH);
    const found = new Set<string>();
    for (const configPath of configs) {
      const analysis = this.engine.analyzeFile(configPath, {
        root: settings.root || undefined,
        pathMappings: expandPathMappings(settings.pathMappings, configPath, workspaceFolders),
        fileChecks: settings.fileChecks,
      });
      if (isUnreadable(analysis)) continue;
      const scripts = agentScriptsOf(analysis);
      for (const script of scripts) found.add(script);
      this.noteBehaviour(scripts, analysis);
    }
    this.fromScan = found;
  }

  isAgentScript(localPath: string): boolean {
    return this.fromOpenConfigs.has(localPath) || this.fromScan.has(localPath);
  }
}

/** The files dash runs for the agent: the scripts that exist and what they source. */
export function agentScriptsOf(analysis: AnalysisResult): string[] {
  return analysis.files.filter((file) => file.kind === 'script' || file.kind === 'sourced').map((file) => file.path);
}
