import * as path from 'path';
import { AnalyzeOptions, isUnreadable } from '../engine/analyze';
import { CONFIG_FILE_NAME } from '../engine/codes';
import { findConfigFiles } from '../engine/fs/findConfigs';
import type { Engine } from '../engine/service/engine';

/** A `.sh` argument is a script to check through its config, not a config itself. */
export function isScriptArgument(file: string): boolean {
  return file.endsWith('.sh') && path.basename(file) !== CONFIG_FILE_NAME;
}

/**
 * The configs below `folder` that name one of `scripts` — as pre- or post-script, or as a file
 * such a script sources. Hooks pass the changed files (pre-commit does): a script is only an
 * agent script through a config, and how the agent runs it is part of its check. A `.sh` that
 * no config names is not an agent script and is left alone.
 */
export function configsNamingScripts(engine: Engine, scripts: readonly string[], folder: string, options: AnalyzeOptions): string[] {
  const wanted = new Set(scripts.map((script) => path.resolve(script)));
  return findConfigFiles(folder).filter((configPath) => {
    const analysis = engine.analyzeFile(configPath, options);
    if (isUnreadable(analysis)) return false;
    const named = [...analysis.scripts.map((script) => script.localPath), ...analysis.sourcedScripts];
    return named.some((local) => local !== undefined && wanted.has(path.resolve(local)));
  });
}
