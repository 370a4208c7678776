import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import { analyzeConfigFile, FileAnalysis, FileChecksSetting } from '../engine/analyze';
import * as l10n from '@vscode/l10n';
import { nodeFileSystem } from '../engine/fs/fileSystem';
import { checkScriptWithShellCheck } from '../engine/scripts';
import type { EngineDiagnostic } from '../engine/types';
import { defaultMaxScriptBytes } from '../engine/scripts/scriptText';
import { locateShellCheck } from '../scripts/shellcheckLocator';
import { ParsedArgs, stringFlag, UsageError } from './args';
import { findConfigFiles } from '../engine/fs/findConfigs';
import { OutputFormat, toJson, toSarif, toText } from './output';
import { agentConfigPaths } from './agentConfigPaths';

export interface CheckIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  colour: boolean;
  version: string;
}

function configPathsFrom(parsed: ParsedArgs, root: string | undefined): string[] {
  if (parsed.positionals.length === 0) {
    // On the VM, `vmsnapshot check` checks the config the agent reads (the host conf may name
    // another one than /etc/azure's); with --root, the one under it.
    return agentConfigPaths(root);
  }
  const paths: string[] = [];
  for (const positional of parsed.positionals) {
    const info = fs.statSync(positional, { throwIfNoEntry: false });
    if (!info) throw new UsageError(l10n.t('{0}: no such file or folder', positional));
    if (info.isDirectory()) {
      const found = findConfigFiles(positional);
      if (found.length === 0) throw new UsageError(l10n.t('{0}: no VMSnapshotScriptPluginConfig.json below this folder', positional));
      paths.push(...found);
    } else {
      paths.push(positional);
    }
  }
  return paths;
}

/**
 * ShellCheck for every script the configs name. A fleet's VMs usually share their scripts, so
 * each distinct content is checked once, and at most one ShellCheck per core runs at a time.
 */
class ShellCheckPass {
  private readonly byContent = new Map<string, Promise<EngineDiagnostic[]>>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly limit = Math.max(1, os.availableParallelism());

  constructor(private readonly shellcheckPath: string) {}

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private findings(bytes: Uint8Array, fileSize: number): Promise<EngineDiagnostic[]> {
    const key = `${fileSize}:${crypto.createHash('sha256').update(bytes).digest('hex')}`;
    let pending = this.byContent.get(key);
    if (!pending) {
      pending = this.slot(() => checkScriptWithShellCheck(bytes, { shellcheckPath: this.shellcheckPath, fileSize }));
      this.byContent.set(key, pending);
    }
    return pending;
  }

  /** The analysis with each script's built-in findings replaced by the merged built-in + ShellCheck list. */
  async addTo(analysis: FileAnalysis): Promise<FileAnalysis> {
    let diagnostics = analysis.diagnostics;
    const seen = new Set<string>();
    for (const script of analysis.scripts) {
      const file = script.localPath;
      if (!file || script.info?.kind !== 'file' || seen.has(file)) continue;
      seen.add(file);
      const bytes = nodeFileSystem.readFile(file, defaultMaxScriptBytes);
      if (!bytes) continue;
      const merged = (await this.findings(bytes, script.info.size)).map((diagnostic) => ({ ...diagnostic, file }));
      diagnostics = [...diagnostics.filter((diagnostic) => diagnostic.file !== file), ...merged];
    }
    return { ...analysis, diagnostics };
  }
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

  let analyses: FileAnalysis[] = configPathsFrom(parsed, root).map((configPath) => analyzeConfigFile(configPath, { root, fileChecks }));
  if (shellcheckPath) {
    const pass = new ShellCheckPass(shellcheckPath);
    analyses = await Promise.all(analyses.map((analysis) => pass.addTo(analysis)));
  }
  if (format === 'json') io.stdout(toJson(analyses));
  else if (format === 'sarif') io.stdout(toSarif(analyses, io.version));
  else io.stdout(toText(analyses, io.colour));
  return analyses.some((analysis) => analysis.diagnostics.some((diagnostic) => diagnostic.severity === 'error')) ? 1 : 0;
}
