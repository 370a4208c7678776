import * as path from 'path';
import { AgentStage, CONFIG_VM_PATH, DiagnosticCode, HOST_CONF_VM_PATH } from './codes';
import { checkConfigFileModes, checkScriptFile, ScriptCheckResult } from './checks/fileChecks';
import { checkKeys } from './checks/keyChecks';
import { silentFailureNote } from './checks/messages';
import { checkSchema } from './checks/schemaChecks';
import { DiagnosticSink } from './checks/sink';
import { checkSyntax } from './checks/syntaxChecks';
import { FileSystem, nodeFileSystem } from './fs/fileSystem';
import { checkHostConf, checkWorkloadConf } from './host/hostConf';
import * as l10n from '@vscode/l10n';
import { AgentConfigModel, interpretConfig, PredictedFailure } from './model/agentConfig';
import type { EffectiveValues } from './model/effective';
import { AgentOutcome, predictOutcome } from './outcome';
import { ConfigDocument, parseConfigDocument } from './parse/configDocument';
import { hasRealModes, inferPathContext, PathContext } from './paths/pathResolution';
import type { EngineDiagnostic } from './types';

export type FileChecksSetting = 'auto' | 'on' | 'off';

export interface AnalyzeOptions {
  /** Local path of the config, which tells where the VM's other files are. */
  configPath?: string;
  /** A local folder that stands for the VM's `/`. */
  root?: string;
  /** VM folder → local folder, for workspace copies not laid out as `<X>/etc/azure`. */
  pathMappings?: Record<string, string>;
  /** `auto`: existence where paths resolve, modes and owners only where they are real. */
  fileChecks?: FileChecksSetting;
  fileSystem?: FileSystem;
}

export interface AnalysisResult {
  document: ConfigDocument;
  diagnostics: EngineDiagnostic[];
  outcome: AgentOutcome;
  /** What the agent will use, or null when it cannot load the config. */
  effective: EffectiveValues | null;
  model: AgentConfigModel;
  pathContext: PathContext;
  scripts: ScriptCheckResult[];
}

/** Larger configs are refused: the real one is a few hundred bytes, and parsing 50 MB per keystroke would freeze the editor. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function checkAgentReadsThisFile(pluginConfigVmPath: string | undefined, configVmPath: string, sink: DiagnosticSink): void {
  if (!pluginConfigVmPath || path.posix.normalize(pluginConfigVmPath) === configVmPath) return;
  sink.add({ start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, {
    code: DiagnosticCode.configIgnored,
    severity: 'warning',
    message: l10n.t('{0} points the agent at {1}, so it does not read this file.', HOST_CONF_VM_PATH, pluginConfigVmPath),
    data: { rule: 'otherConfigPath', path: pluginConfigVmPath },
  });
}

function byPosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function analyzeConfigText(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const setting = options.fileChecks ?? 'auto';
  const pathContext = setting === 'off' ? { kind: 'none' as const } : inferPathContext(options.configPath, options.root, options.pathMappings);
  const checkModes = setting === 'on' || (setting === 'auto' && hasRealModes(pathContext));

  const document = parseConfigDocument(text);
  const sink = new DiagnosticSink(document.lines);
  const failures: PredictedFailure[] = [];

  const host = checkHostConf(fileSystem, pathContext, checkModes);
  failures.push(...host.failures);
  if (pathContext.kind !== 'none') checkAgentReadsThisFile(host.pluginConfigVmPath, CONFIG_VM_PATH, sink);
  const workload = checkWorkloadConf(fileSystem, pathContext);
  if (workload) sink.add(workload.range, workload);

  if (options.configPath && checkModes) checkConfigFileModes(options.configPath, fileSystem, sink, failures);

  const parsed = checkSyntax(document, sink);
  checkKeys(document, sink);
  const model = interpretConfig(document, sink, parsed, host.hostCapSeconds);
  failures.push(...model.failures);
  checkSchema(document, sink, model.explainedKeys);

  const scripts: ScriptCheckResult[] = [];
  if (pathContext.kind !== 'none') {
    for (const [side, location] of [['pre', model.preScript], ['post', model.postScript]] as const) {
      if (location) scripts.push(checkScriptFile(side, location, fileSystem, pathContext, checkModes, sink, failures));
    }
  }

  const outcome = predictOutcome(failures);
  const agentLoadsConfig = !failures.some((failure) => failure.stage <= AgentStage.configLoad);
  return {
    document,
    diagnostics: [...host.diagnostics, ...sink.diagnostics.sort(byPosition)],
    outcome,
    effective: agentLoadsConfig ? model.effective : null,
    model,
    pathContext,
    scripts,
  };
}

export interface FileAnalysis extends AnalysisResult {
  configPath: string;
}

function wholeFileProblem(configPath: string, code: string, agentCode: number, message: string, rule: string, options: AnalyzeOptions): FileAnalysis {
  const result = analyzeConfigText('', { ...options, configPath, fileChecks: 'off' });
  const diagnostic: EngineDiagnostic = {
    code,
    severity: 'error',
    message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    agentCode,
    data: { rule },
  };
  return { ...result, configPath, diagnostics: [diagnostic], outcome: predictOutcome([{ agentCode, stage: agentCode === 316 ? AgentStage.configFile : AgentStage.configLoad }]), effective: null };
}

/**
 * Reads a config from disk the way the agent opens it: a missing file is 316, bytes that are
 * not UTF-8 are 305. Never reads more than MAX_CONFIG_BYTES.
 */
export function analyzeConfigFile(configPath: string, options: AnalyzeOptions = {}): FileAnalysis {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const info = fileSystem.stat(configPath);
  if (!info || info.kind !== 'file') {
    return wholeFileProblem(configPath, DiagnosticCode.pluginConfigNotFound, 316, `${l10n.t('The agent finds no config file at {0} (316).', configPath)} ${silentFailureNote()}`, 'configNotFound', options);
  }
  if (info.size > MAX_CONFIG_BYTES) {
    return wholeFileProblem(configPath, DiagnosticCode.incorrectJsonConfigFile, 305, l10n.t('The config is {0} bytes, too large to be a pre/post script config (at most {1} bytes are checked).', info.size, MAX_CONFIG_BYTES), 'tooLarge', options);
  }
  const bytes = fileSystem.readFile(configPath, MAX_CONFIG_BYTES);
  if (!bytes) {
    return wholeFileProblem(configPath, DiagnosticCode.incorrectJsonConfigFile, 305, l10n.t('The config {0} cannot be read.', configPath), 'unreadable', options);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return wholeFileProblem(configPath, DiagnosticCode.incorrectJsonConfigFile, 305, `${l10n.t('The config is not valid UTF-8 text: the agent cannot decode it (305).')} ${silentFailureNote()}`, 'encoding', options);
  }
  return { ...analyzeConfigText(text, { ...options, configPath }), configPath };
}
