import { isDenied, type FileInfo } from '../fs/fileSystem';
import type { EngineContext } from '../service/context';
import type { EngineDiagnostic } from '../types';
import { checkScript } from './index';
import { defaultMaxScriptBytes } from './scriptText';
import { findSourcedFiles, SourcedFile } from './sourcedFiles';

export interface ScriptFileCheck {
  diagnostics: EngineDiagnostic[];
  sourced: SourcedFile[];
  /** We may not read it (the agent, as root, can). */
  denied?: boolean;
}

/** The built-in checks of a script file on disk, cached by the engine until the file changes. */
export function checkScriptContents(ctx: EngineContext, localPath: string, info: FileInfo): ScriptFileCheck {
  return ctx.scriptChecks.get(localPath, info, () => {
    const bytes = ctx.fileSystem.readFile(localPath, defaultMaxScriptBytes);
    if (isDenied(bytes)) return { diagnostics: [], sourced: [], denied: true };
    return bytes ? { diagnostics: checkScript(bytes, { fileSize: info.size, file: localPath }), sourced: findSourcedFiles(bytes) } : { diagnostics: [], sourced: [] };
  });
}
