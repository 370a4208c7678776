import * as path from 'path';
import { AgentStage, CONFIG_VM_PATH, DiagnosticCode, HOST_CONF_VM_PATH, ScriptCode } from './codes';
import { checkConfigFileModes, checkScriptFile, ScriptCheckResult } from './checks/fileChecks';
import { checkAgentScript } from './scripts/agentScripts';
import { checkKeys } from './checks/keyChecks';
import { silentFailureNote } from './checks/messages';
import { notePreemptedFailures } from './checks/preempted';
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
  /**
   * The file on disk starts with a UTF-8 BOM that the editor hid from `text` (VS Code strips it
   * and writes it back on save): the agent will still read it.
   */
  bomOnDisk?: boolean;
}

export interface AnalysisResult {
  document: ConfigDocument;
  diagnostics: EngineDiagnostic[];
  outcome: AgentOutcome;
  /** Every failure predicted, by stage: the first is the outcome, the rest follow once it is fixed. */
  failures: PredictedFailure[];
  /** What the agent will use, or null when it cannot load the config. */
  effective: EffectiveValues | null;
  model: AgentConfigModel;
  pathContext: PathContext;
  scripts: ScriptCheckResult[];
  /** Local paths of the files the scripts read with `. file`, which dash runs too. */
  sourcedScripts: string[];
}

/** Larger configs are refused: the real one is a few hundred bytes, and parsing 50 MB per keystroke would freeze the editor. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Deeper nesting is refused before parsing: the parsers recurse, so 10,000 levels would
 * overflow the stack, and Python's json.load already fails at 1,000 (RecursionError, 305).
 */
export const MAX_CONFIG_DEPTH = 1000;

/** UTF-8 length of a text, counted without allocating; stops counting past `limit`. */
function utf8Length(text: string, limit: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length && bytes <= limit; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00 && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** True when arrays and objects nest deeper than `limit` anywhere outside strings. */
function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c /* \ */) i++;
      else if (code === 0x22 /* " */ || code === 0x0a) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if ((code === 0x5d /* ] */ || code === 0x7d) /* } */ && depth > 0) depth--;
  }
  return false;
}

function tooLargeMessage(bytes: number): string {
  return l10n.t('The config is {0} bytes, too large to be a pre/post script config (at most {1} bytes are checked).', bytes, MAX_CONFIG_BYTES);
}

/**
 * The analysis of a config that is not read any further: one diagnostic on its first line, the
 * agent code it predicts, and no effective values.
 */
function wholeFileProblem(options: AnalyzeOptions, code: string, agentCode: number, message: string, rule: string): AnalysisResult {
  const result = analyzeConfigText('', { ...options, fileChecks: 'off' });
  const diagnostic: EngineDiagnostic = {
    code,
    severity: 'error',
    message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    agentCode,
    data: { rule },
  };
  const stage = agentCode === 316 ? AgentStage.configFile : AgentStage.configLoad;
  return { ...result, diagnostics: [diagnostic], outcome: predictOutcome([{ agentCode, stage }]), failures: [{ agentCode, stage }], effective: null };
}

/** A config too large or too deep to analyze: one diagnostic, without parsing it. */
function refuseText(text: string, options: AnalyzeOptions): AnalysisResult | undefined {
  const bytes = text.length > MAX_CONFIG_BYTES ? text.length : utf8Length(text, MAX_CONFIG_BYTES);
  if (bytes > MAX_CONFIG_BYTES) {
    return wholeFileProblem(options, DiagnosticCode.incorrectJsonConfigFile, 305, tooLargeMessage(Buffer.byteLength(text, 'utf8')), 'tooLarge');
  }
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) {
    const message = `${l10n.t('The config nests arrays or objects more than {0} levels deep: the agent\'s JSON parser gives up (305), and this config is not checked further.', MAX_CONFIG_DEPTH)} ${silentFailureNote()}`;
    return wholeFileProblem(options, DiagnosticCode.incorrectJsonConfigFile, 305, message, 'tooDeep');
  }
  return undefined;
}

function checkAgentReadsThisFile(pluginConfigVmPath: string | undefined, configVmPath: string, sink: DiagnosticSink): void {
  if (!pluginConfigVmPath || path.posix.normalize(pluginConfigVmPath) === configVmPath) return;
  sink.add({ start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, {
    code: DiagnosticCode.configIgnored,
    severity: 'warning',
    message: l10n.t('{0} points the agent at {1}, so it does not read this file.', HOST_CONF_VM_PATH, pluginConfigVmPath),
    data: { rule: 'otherConfigPath', path: pluginConfigVmPath },
  });
}

/**
 * The script's own findings are published on the script; the config gets one line saying that
 * the script it names will break under sh, so the problem is seen from where it is configured.
 */
function summarizeScriptProblems(script: ScriptCheckResult, found: readonly EngineDiagnostic[], sink: DiagnosticSink): void {
  const errors = found.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0];
  sink.atNode(script.location.node, {
    code: script.side === 'pre' ? DiagnosticCode.preScriptExecutionFailed : DiagnosticCode.postScriptExecutionFailed,
    severity: 'error',
    message: first.file === undefined || first.file === script.localPath
      ? l10n.t('{0} has {1} problem(s) under sh (dash), which the agent runs it with; the first, on line {2}: {3}', script.localPath!, errors.length, first.range.start.line + 1, first.message)
      : l10n.t('{0} has {1} problem(s) under sh (dash), which the agent runs it with; the first, in {2} on line {3}: {4}', script.localPath!, errors.length, first.file, first.range.start.line + 1, first.message),
    data: { rule: 'scriptProblems', localPath: script.localPath, line: first.range.start.line, crlf: errors.some((error) => error.code === ScriptCode.crlf && error.file === script.localPath) },
  });
}

function byPosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

export function analyzeConfigText(text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const refused = refuseText(text, options);
  if (refused) return refused;
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const setting = options.fileChecks ?? 'auto';
  const pathContext = setting === 'off' ? { kind: 'none' as const } : inferPathContext(options.configPath, options.root, options.pathMappings);
  const checkModes = setting === 'on' || (setting === 'auto' && hasRealModes(pathContext));

  const document = parseConfigDocument(text, options.bomOnDisk === true && text.charCodeAt(0) !== 0xfeff);
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
  const scriptDiagnostics: EngineDiagnostic[] = [];
  const sourcedScripts: string[] = [];
  if (pathContext.kind !== 'none') {
    for (const [side, location] of [['pre', model.preScript], ['post', model.postScript]] as const) {
      if (!location) continue;
      const script = checkScriptFile(side, location, fileSystem, pathContext, checkModes, sink, failures);
      scripts.push(script);
      if (script.localPath && script.info?.kind === 'file' && !scripts.some((other) => other !== script && other.localPath === script.localPath)) {
        const contents = checkAgentScript(script.localPath, script.info, fileSystem, pathContext);
        scriptDiagnostics.push(...contents.diagnostics);
        sourcedScripts.push(...contents.sourced);
        summarizeScriptProblems(script, contents.diagnostics, sink);
      }
    }
  }

  const outcome = predictOutcome(failures);
  notePreemptedFailures(sink.diagnostics, outcome);
  const agentLoadsConfig = !failures.some((failure) => failure.stage <= AgentStage.configLoad);
  return {
    document,
    diagnostics: [...host.diagnostics, ...sink.diagnostics.sort(byPosition), ...scriptDiagnostics],
    outcome,
    failures,
    effective: agentLoadsConfig ? model.effective : null,
    model,
    pathContext,
    scripts,
    sourcedScripts,
  };
}

export interface FileAnalysis extends AnalysisResult {
  configPath: string;
}

/**
 * Reads a config from disk the way the agent opens it: a missing file is 316, bytes that are
 * not UTF-8 are 305. Never reads more than MAX_CONFIG_BYTES.
 */
export function analyzeConfigFile(configPath: string, options: AnalyzeOptions = {}): FileAnalysis {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const refuse = (code: string, agentCode: number, message: string, rule: string): FileAnalysis => ({
    ...wholeFileProblem({ ...options, configPath }, code, agentCode, message, rule),
    configPath,
  });
  const info = fileSystem.stat(configPath);
  if (!info || info.kind !== 'file') {
    return refuse(DiagnosticCode.pluginConfigNotFound, 316, `${l10n.t('The agent finds no config file at {0} (316).', configPath)} ${silentFailureNote()}`, 'configNotFound');
  }
  if (info.size > MAX_CONFIG_BYTES) return refuse(DiagnosticCode.incorrectJsonConfigFile, 305, tooLargeMessage(info.size), 'tooLarge');
  const bytes = fileSystem.readFile(configPath, MAX_CONFIG_BYTES);
  if (!bytes) return refuse(DiagnosticCode.incorrectJsonConfigFile, 305, l10n.t('The config {0} cannot be read.', configPath), 'unreadable');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refuse(DiagnosticCode.incorrectJsonConfigFile, 305, `${l10n.t('The config is not valid UTF-8 text: the agent cannot decode it (305).')} ${silentFailureNote()}`, 'encoding');
  }
  return { ...analyzeConfigText(text, { ...options, configPath }), configPath };
}
