import * as l10n from '@vscode/l10n';
import { ScriptCode } from '../codes';
import { cannotReadAsThisUser } from '../checks/accessDenied';
import { FileInfo, isDenied } from '../fs/fileSystem';
import { PathContext, resolveVmPath } from '../paths/pathResolution';
import type { EngineContext } from '../service/context';
import type { EngineDiagnostic } from '../types';
import { checkScriptContents } from './scriptFileChecks';

/** Deep enough for a script, its library and the library's helpers; a loop stops earlier. */
const MAX_SOURCE_DEPTH = 4;

export interface AgentScriptContents {
  /** The findings of the script and of every file it sources, each with its `file`. */
  diagnostics: EngineDiagnostic[];
  /** Local paths of the files it sources: dash runs them too, so they are agent scripts. */
  sourced: string[];
}

/**
 * Checks a script the agent runs with `sh`, and the files it reads with `. file`, which run in
 * the same dash. Files a script starts with `bash file` are bash scripts and are not followed.
 */
export function checkAgentScript(ctx: EngineContext, localPath: string, info: FileInfo, context: PathContext): AgentScriptContents {
  const result: AgentScriptContents = { diagnostics: [], sourced: [] };
  const visited = new Set<string>([localPath]);
  const visit = (file: string, fileInfo: FileInfo, depth: number): void => {
    const check = checkScriptContents(ctx, file, fileInfo);
    if (check.denied) result.diagnostics.push(cannotReadAsThisUser(file, ctx.userName));
    result.diagnostics.push(...check.diagnostics);
    for (const sourced of check.sourced) {
      const report = (severity: 'error' | 'warning', message: string): void => {
        result.diagnostics.push({ code: ScriptCode.sourcedNotFound, severity, message, range: sourced.range, file, data: { rule: 'sourcedFile', path: sourced.path } });
      };
      if (!sourced.path.startsWith('/')) {
        report('warning', l10n.t('`. {0}` depends on where the script runs: dash looks a name without a slash up in PATH, and a relative path from the agent\'s working directory, not this script\'s folder. Use an absolute path.', sourced.path));
        continue;
      }
      const local = resolveVmPath(sourced.path, context);
      if (!local || visited.has(local)) continue;
      const sourcedInfo = ctx.fileSystem.stat(local);
      if (isDenied(sourcedInfo)) {
        result.diagnostics.push(cannotReadAsThisUser(local, ctx.userName));
        continue;
      }
      if (sourcedInfo?.kind !== 'file') {
        report('error', l10n.t('`. {0}` reads a file that is not there ({1}): dash stops the script with "can\'t open".', sourced.path, local));
        continue;
      }
      visited.add(local);
      result.sourced.push(local);
      if (depth < MAX_SOURCE_DEPTH) visit(local, sourcedInfo, depth + 1);
    }
  };
  visit(localPath, info, 0);
  return result;
}
