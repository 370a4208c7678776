import * as fs from 'fs';
import { AnalyzeOptions, ConfigFileAnalysis, FileAnalysis, FileChecksSetting, isUnreadable } from '../engine/analyze';
import { agentConfigPaths } from './agentConfigPaths';
import * as l10n from '@vscode/l10n';
import { createEngine, Engine } from '../engine/service/engine';
import { defaultMaxScriptBytes } from '../engine/scripts/scriptText';
import { locateShellCheck } from '../engine/scripts/shellcheckLocator';
import { ParsedArgs, stringFlag, UsageError } from './args';
import { findConfigFiles } from '../engine/fs/findConfigs';
import { OutputFormat, toJson, toSarif, toText } from './output';
import { configsNamingScripts, isScriptArgument } from './scriptArguments';

export interface CheckIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colour: boolean;
  version: string;
}

function configPathsFrom(parsed: ParsedArgs, engine: Engine, options: AnalyzeOptions): string[] {
  const root = options.root;
  if (parsed.positionals.length === 0) {
    // The config the agent reads: the host conf may name another one than /etc/azure's.
    return agentConfigPaths(root);
  }
  const paths: string[] = [];
  const scripts: string[] = [];
  for (const positional of parsed.positionals) {
    const info = fs.statSync(positional, { throwIfNoEntry: false });
    if (!info) throw new UsageError(l10n.t('{0}: no such file or folder', positional));
    if (info.isDirectory()) {
      const found = findConfigFiles(positional);
      if (found.length === 0) throw new UsageError(l10n.t('{0}: no VMSnapshotScriptPluginConfig.json below this folder', positional));
      paths.push(...found);
    } else if (isScriptArgument(positional)) {
      scripts.push(positional);
    } else {
      paths.push(positional);
    }
  }
  if (scripts.length > 0) paths.push(...configsNamingScripts(engine, scripts, '.', options));
  return [...new Set(paths)];
}

/**
 * Each script's built-in findings replaced by the merged built-in + ShellCheck list. The
 * engine's scheduler runs ShellCheck once per distinct content: a fleet's VMs share scripts.
 */
async function addShellCheck(engine: Engine, analysis: FileAnalysis, shellcheckPath: string): Promise<FileAnalysis> {
  let diagnostics = analysis.diagnostics;
  const seen = new Set<string>();
  for (const script of analysis.scripts) {
    const file = script.localPath;
    if (!file || !script.info || seen.has(file)) continue;
    seen.add(file);
    const bytes = engine.fileSystem.readFile(file, defaultMaxScriptBytes);
    if (!(bytes instanceof Uint8Array)) continue;
    const merged = (await engine.shellcheck.check({ bytes, fileSize: script.info.size, file, shellcheckPath })) ?? [];
    diagnostics = [...diagnostics.filter((diagnostic) => diagnostic.file !== file), ...merged];
  }
  const files = analysis.files.map((entry) => ({ ...entry, diagnostics: diagnostics.filter((diagnostic) => (diagnostic.file ?? analysis.configPath) === entry.path) }));
  return { ...analysis, diagnostics, files };
}

/** `vmsnapshot check`: exit 0 without errors, 1 with any error, 2 for usage and I/O problems. */
export async function runCheckCommand(parsed: ParsedArgs, io: CheckIo): Promise<number> {
  const format = (stringFlag(parsed, 'format') ?? 'text') as OutputFormat;
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(l10n.t('--format must be text, json or sarif'));
  const fileChecks = (stringFlag(parsed, 'file-checks') ?? 'auto') as FileChecksSetting;
  if (!['auto', 'on', 'off'].includes(fileChecks)) throw new UsageError(l10n.t('--file-checks must be auto, on or off'));
  const root = stringFlag(parsed, 'root');
  if (root !== undefined && !fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(l10n.t('--root {0}: not a folder', root));

  // The person running the CLI chose what runs: ShellCheck from --shellcheck or PATH, unless --no-shellcheck.
  const shellcheckPath = parsed.flags.has('no-shellcheck') ? undefined : locateShellCheck(stringFlag(parsed, 'shellcheck') ?? 'shellcheck');

  const engine = createEngine();
  let analyses: ConfigFileAnalysis[] = configPathsFrom(parsed, engine, { root, fileChecks }).map((configPath) => engine.analyzeFile(configPath, { root, fileChecks }));
  if (shellcheckPath) {
    analyses = await Promise.all(analyses.map((analysis) => (isUnreadable(analysis) ? analysis : addShellCheck(engine, analysis, shellcheckPath))));
  }
  if (format === 'json') io.stdout(toJson(analyses));
  else if (format === 'sarif') io.stdout(toSarif(analyses, io.version));
  else io.stdout(toText(analyses, io.colour));
  // Exit 2 when something asked for could not be read: the check is incomplete, whatever it found.
  if (analyses.some((analysis) => isUnreadable(analysis) || !analysis.complete)) return 2;
  return analyses.some((analysis) => analysis.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) ? 1 : 0;
}
