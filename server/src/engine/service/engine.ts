import * as os from 'os';
import { analyzeFile, analyzeText, AnalysisResult, AnalyzeOptions, ConfigFileAnalysis } from '../analyze';
import { FileSystem, nodeFileSystem } from '../fs/fileSystem';
import { ShellCheckScheduler } from '../scripts/shellcheckScheduler';
import { createEngineContext, EngineContext } from './context';
import { Clock, nodeProgramRunner, ProgramRunner, realClock } from './processes';

export interface EngineOptions {
  fileSystem?: FileSystem;
  /** Starts ShellCheck; never a user's script. */
  exec?: ProgramRunner;
  clock?: Clock;
  /** ShellCheck runs at once at most; the server keeps one core for the editor. */
  shellcheckConcurrency?: number;
  /** Wait before starting ShellCheck, so a burst of keystrokes runs it once. */
  shellcheckThrottleMs?: number;
  /** Named in "cannot read as this user" findings; the process's own user by default. */
  userName?: string;
}

/**
 * One engine instance: its file system, its caches (INI files, script checks, ShellCheck
 * results) and its ShellCheck scheduler. The language server and the CLI each make one; tests
 * make as many as they like. Nothing here is shared between instances.
 */
export interface Engine {
  /** A config's text, as an editor holds it; `options.configPath` says where it lives. */
  analyzeText(text: string, options?: AnalyzeOptions): AnalysisResult;
  /** A config on disk, read as the agent reads it. */
  analyzeFile(configPath: string, options?: AnalyzeOptions): ConfigFileAnalysis;
  readonly shellcheck: ShellCheckScheduler;
  readonly fileSystem: FileSystem;
  /** Forget every cached reading, e.g. after the files changed in ways their times do not show. */
  clearCaches(): void;
}

function currentUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

export function createEngine(options: EngineOptions = {}): Engine {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const context: EngineContext = createEngineContext(fileSystem, options.userName ?? currentUserName());
  const shellcheck = new ShellCheckScheduler(options.exec ?? nodeProgramRunner, options.clock ?? realClock, {
    concurrency: options.shellcheckConcurrency,
    throttleMs: options.shellcheckThrottleMs,
  });
  return {
    analyzeText: (text, analyzeOptions = {}) => analyzeText(context, text, analyzeOptions),
    analyzeFile: (configPath, analyzeOptions = {}) => analyzeFile(context, configPath, analyzeOptions),
    shellcheck,
    fileSystem,
    clearCaches() {
      context.iniTexts.clear();
      context.behaviour.clear();
      context.scriptChecks.clear();
      shellcheck.clear();
    },
  };
}
