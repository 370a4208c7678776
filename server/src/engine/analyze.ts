import { agentFailure, AgentFailureKind, PredictedFailure } from './agentFailures';
import { AgentStage, DiagnosticCode, ScriptCode } from './codes';
import { cannotReadAsThisUser } from './checks/accessDenied';
import { checkConfigFileModes, checkScriptLocation, ScriptFileResult } from './checks/fileChecks';
import { checkAgentScript } from './scripts/agentScripts';
import { BehaviourRun, behaviourRunOf, runBehaviour } from './scripts/behaviour';
import { ConsistencyNotAchieved, consistencyVerdict } from './scripts/behaviour/verdict';
import { checkKeys } from './checks/keyChecks';
import { silentFailureNote } from './checks/messages';
import { checkScaffoldScripts } from './checks/scaffoldChecks';
import { notePreemptedFailures } from './checks/preempted';
import { checkSchema } from './checks/schemaChecks';
import { DiagnosticSink } from './checks/sink';
import { checkSyntax } from './checks/syntaxChecks';
import { FileSystem, isDenied } from './fs/fileSystem';
import { memoFileSystem } from './fs/memoFileSystem';
import { configVmPathOf, judgeAgentFiles, workloadOutcome } from './agentFiles/configPath';
import type { AgentFilesView } from './agentFiles/etcAzure';
import * as l10n from '@vscode/l10n';
import { AgentConfigModel, interpretConfig } from './model/agentConfig';
import { BackupFlow, predictBackupFlow } from './model/backupFlow';
import type { EffectiveValues } from './model/effective';
import { AgentOutcome, predictOutcome } from './outcome';
import { ConfigDocument, parseConfigDocument } from './parse/configDocument';
import { hasRealModes, inferPathContext, PathContext, resolveVmPath } from './paths/pathResolution';
import type { EngineContext } from './service/context';
import type { EngineDiagnostic, FileFindings, JudgedFileKind } from './types';

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
  /** Only for the one-shot helpers below; an engine instance brings its own. */
  fileSystem?: FileSystem;
  /**
   * The file on disk starts with a UTF-8 BOM that the editor hid from `text` (VS Code strips it
   * and writes it back on save): the agent will still read it.
   */
  bomOnDisk?: boolean;
}

export interface AnalysisResult {
  document: ConfigDocument;
  /** Every finding, each about the config unless it names its `file`. */
  diagnostics: EngineDiagnostic[];
  /**
   * The same findings by the file they are about, with every file judged in this analysis (the
   * config, the host conf, workload.conf, the scripts and what they source), also those with
   * no finding left: front ends publish per file and clear what is fixed.
   */
  files: FileFindings[];
  outcome: AgentOutcome;
  /** Every failure predicted, by stage: the first is the outcome, the rest follow once it is fixed. */
  failures: PredictedFailure[];
  /** False when a file the prediction depends on could not be read by this user. */
  complete: boolean;
  /** Snapshot, freeze and the consistency the portal shows, for the predicted outcome. */
  backup: BackupFlow;
  /** What the agent will use, or null when it cannot load the config. */
  effective: EffectiveValues | null;
  model: AgentConfigModel;
  pathContext: PathContext;
  scripts: ScriptFileResult[];
  /** Local paths of the files the scripts read with `. file`, which dash runs too. */
  sourcedScripts: string[];
  /** What /etc/azure's other files decide (the path the agent takes, the host conf, vmbackup.conf), where the VM tree is known. */
  agentFiles?: AgentFilesView;
  /** Set when an error-level behaviour rule fires: the agent's code stands, the consistency does not. */
  consistencyNotAchieved?: ConsistencyNotAchieved;
  /** How the behaviour rules judged the scripts, for judging an edited script alike. */
  behaviourRun?: BehaviourRun;
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
export function nestsDeeperThan(text: string, limit: number): boolean {
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
function wholeFileProblem(ctx: EngineContext, options: AnalyzeOptions, kind: AgentFailureKind, message: string, rule: string): AnalysisResult {
  const result = analyzeText(ctx, '', { ...options, fileChecks: 'off' });
  const failure = agentFailure(kind);
  const diagnostic: EngineDiagnostic = {
    code: failure.diagnostic,
    severity: 'error',
    message,
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    agentCode: failure.agentCode,
    data: { rule },
  };
  // The other files of /etc/azure still decide: a workload makes the agent ignore this config, a host conf fails first.
  const setting = options.fileChecks ?? 'auto';
  const pathContext = setting === 'off' ? { kind: 'none' as const } : inferPathContext(options.configPath, options.root, options.pathMappings);
  const checkModes = setting === 'on' || (setting === 'auto' && hasRealModes(pathContext));
  const agentFiles = judgeAgentFiles(ctx, pathContext, checkModes, configVmPathOf(options.configPath, pathContext));
  const workload = agentFiles.view?.path === 'workload' ? agentFiles.view : undefined;
  const diagnostics = workload ? [{ ...agentFiles.notUsed!, severity: 'information' as const }, ...agentFiles.diagnostics] : [diagnostic, ...agentFiles.diagnostics];
  const outcome = workload ? workloadOutcome(workload) : predictOutcome([failure, ...agentFiles.failures]);
  return { ...result, diagnostics, failures: [failure, ...agentFiles.failures], files: groupByFile(options.configPath, agentFiles.judged, diagnostics), outcome, backup: predictBackupFlow(outcome.code, null), effective: null, agentFiles: agentFiles.view };
}

/** A config too large or too deep to analyze: one diagnostic, without parsing it. */
function refuseText(ctx: EngineContext, text: string, options: AnalyzeOptions): AnalysisResult | undefined {
  const bytes = text.length > MAX_CONFIG_BYTES ? text.length : utf8Length(text, MAX_CONFIG_BYTES);
  if (bytes > MAX_CONFIG_BYTES) {
    return wholeFileProblem(ctx, options, 'configParse', tooLargeMessage(Buffer.byteLength(text, 'utf8')), 'tooLarge');
  }
  if (nestsDeeperThan(text, MAX_CONFIG_DEPTH)) {
    const message = `${l10n.t('The config nests arrays or objects more than {0} levels deep: the agent\'s JSON parser gives up (305), and this config is not checked further.', MAX_CONFIG_DEPTH)} ${silentFailureNote()}`;
    return wholeFileProblem(ctx, options, 'configParse', message, 'tooDeep');
  }
  return undefined;
}

/**
 * The script's own findings are published on the script; the config gets one line saying that
 * the script it names will break under sh, so the problem is seen from where it is configured.
 * dash then fails the script, so the agent reports it failed (300/301) instead of success.
 */
function summarizeScriptProblems(script: ScriptFileResult, found: readonly EngineDiagnostic[], sink: DiagnosticSink, failures: PredictedFailure[]): void {
  const errors = found.filter((diagnostic) => diagnostic.severity === 'error');
  if (errors.length === 0) return;
  const first = errors[0];
  const failure = agentFailure('scriptFailed', script.side);
  sink.atNode(script.location.node, {
    code: failure.diagnostic,
    severity: 'error',
    message: first.file === undefined || first.file === script.localPath
      ? l10n.t('{0} has {1} problem(s) under sh (dash), which the agent runs it with; the first, on line {2}: {3}', script.localPath!, errors.length, first.range.start.line + 1, first.message)
      : l10n.t('{0} has {1} problem(s) under sh (dash), which the agent runs it with; the first, in {2} on line {3}: {4}', script.localPath!, errors.length, first.file, first.range.start.line + 1, first.message),
    agentCode: failure.agentCode,
    data: { rule: 'scriptProblems', localPath: script.localPath, line: first.range.start.line, crlf: errors.some((error) => error.code === ScriptCode.crlf && error.file === script.localPath) },
  });
  failures.push(failure);
}

function byPosition(a: EngineDiagnostic, b: EngineDiagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

interface JudgedFile {
  path: string;
  kind: JudgedFileKind;
}

/**
 * Groups findings by the file they are about. `judged` lists the files looked at, which are
 * listed even without findings; a finding about any other file (a sourced library we may not
 * read) adds that file.
 */
function groupByFile(configPath: string | undefined, judged: readonly JudgedFile[], diagnostics: readonly EngineDiagnostic[]): FileFindings[] {
  const files = new Map<string, FileFindings>();
  const entry = (filePath: string, kind: JudgedFileKind): FileFindings => {
    let found = files.get(filePath);
    if (!found) files.set(filePath, (found = { path: filePath, kind, diagnostics: [] }));
    return found;
  };
  if (configPath) entry(configPath, 'config');
  for (const file of judged) entry(file.path, file.kind);
  for (const diagnostic of diagnostics) {
    const filePath = diagnostic.file ?? configPath;
    if (filePath) entry(filePath, diagnostic.file ? 'other' : 'config').diagnostics.push(diagnostic);
  }
  return [...files.values()];
}

interface ScriptsStep {
  ctx: EngineContext;
  model: AgentConfigModel;
  pathContext: PathContext;
  checkModes: boolean;
  sink: DiagnosticSink;
  failures: PredictedFailure[];
}

interface ScriptsFound {
  scripts: ScriptFileResult[];
  diagnostics: EngineDiagnostic[];
  sourced: string[];
}

/** Steps 3 to 8 of the agent's checks for both scripts, then what dash will make of them. */
function checkScripts(step: ScriptsStep): ScriptsFound {
  const found: ScriptsFound = { scripts: [], diagnostics: [], sourced: [] };
  for (const [side, location] of [['pre', step.model.preScript], ['post', step.model.postScript]] as const) {
    if (!location) continue;
    const script = checkScriptLocation(step.ctx, { side, location, context: step.pathContext, checkModes: step.checkModes, sink: step.sink, failures: step.failures, otherFiles: found.diagnostics });
    found.scripts.push(script);
    const checkedAlready = found.scripts.some((other) => other !== script && other.localPath === script.localPath);
    if (!script.localPath || !script.info || checkedAlready) continue;
    const contents = checkAgentScript(step.ctx, script.localPath, script.info, step.pathContext);
    found.diagnostics.push(...contents.diagnostics);
    found.sourced.push(...contents.sourced);
    summarizeScriptProblems(script, contents.diagnostics, step.sink, step.failures);
  }
  return found;
}

/** Analyses a config's text with one engine instance's file system and caches. */
export function analyzeText(engineContext: EngineContext, text: string, options: AnalyzeOptions = {}): AnalysisResult {
  const ctx = { ...engineContext, fileSystem: memoFileSystem(engineContext.fileSystem) };
  const refused = refuseText(ctx, text, options);
  if (refused) return refused;
  const setting = options.fileChecks ?? 'auto';
  const pathContext = setting === 'off' ? { kind: 'none' as const } : inferPathContext(options.configPath, options.root, options.pathMappings);
  const checkModes = setting === 'on' || (setting === 'auto' && hasRealModes(pathContext));

  const document = parseConfigDocument(text, options.bomOnDisk === true && text.charCodeAt(0) !== 0xfeff);
  const sink = new DiagnosticSink(document.lines);
  const failures: PredictedFailure[] = [];
  const judged: JudgedFile[] = [];

  const agentFiles = judgeAgentFiles(ctx, pathContext, checkModes, configVmPathOf(options.configPath, pathContext));
  failures.push(...agentFiles.failures);
  judged.push(...agentFiles.judged);
  if (agentFiles.notUsed) sink.add(agentFiles.notUsed.range, agentFiles.notUsed);

  if (options.configPath && checkModes) checkConfigFileModes(ctx, options.configPath, sink, failures);

  const parsed = checkSyntax(document, sink);
  checkKeys(document, sink);
  const model = interpretConfig(document, sink, parsed, agentFiles.hostCapSeconds);
  failures.push(...model.failures);
  checkSchema(document, sink, model.explainedKeys);

  const scripts = checkScripts({ ctx, model, pathContext, checkModes, sink, failures });
  for (const script of scripts.scripts) if (script.localPath && script.info) judged.push({ path: script.localPath, kind: 'script' });
  for (const sourced of scripts.sourced) judged.push({ path: sourced, kind: 'sourced' });

  checkScaffoldScripts(ctx, document, model, scripts.scripts.find((script) => script.side === 'pre'), sink);
  // What the scripts do at backup time, with the values the agent will really use.
  const behaviourRun = behaviourRunOf(scripts.scripts, (vmPath) => resolveVmPath(vmPath, pathContext), model.effective);
  const { diagnostics: behaviour, files: behaviourFiles } = pathContext.kind === 'none' ? { diagnostics: [], files: [] } : runBehaviour(behaviourRun.scripts, { ...behaviourRun, fileSystem: ctx.fileSystem, caches: ctx.behaviour, resolvedBy: JSON.stringify(pathContext) });
  // The helpers the scripts run are judged too: a fixed one must be cleared.
  for (const file of behaviourFiles) if (!judged.some((other) => other.path === file)) judged.push({ path: file, kind: 'other' });
  const consistencyNotAchieved = consistencyVerdict(behaviour, scripts.scripts.find((script) => script.side === 'pre')?.localPath);

  // On the workload path the agent never opens this config: its result is the workload's.
  const outcome = agentFiles.view?.path === 'workload' ? workloadOutcome(agentFiles.view) : predictOutcome(failures);
  notePreemptedFailures(sink.diagnostics, outcome);
  const agentLoadsConfig = !failures.some((failure) => failure.stage <= AgentStage.configLoad);
  const effective = agentLoadsConfig ? model.effective : null;
  const diagnostics = [...agentFiles.diagnostics, ...sink.diagnostics.sort(byPosition), ...scripts.diagnostics, ...behaviour];
  return {
    document,
    diagnostics,
    files: groupByFile(options.configPath, judged, diagnostics),
    outcome,
    failures,
    complete: !diagnostics.some((diagnostic) => diagnostic.code === DiagnosticCode.accessDenied),
    backup: predictBackupFlow(outcome.code, effective),
    effective,
    model,
    pathContext,
    scripts: scripts.scripts,
    sourcedScripts: scripts.sourced,
    agentFiles: agentFiles.view,
    ...(consistencyNotAchieved ? { consistencyNotAchieved } : {}),
    behaviourRun,
  };
}

export interface FileAnalysis extends AnalysisResult {
  configPath: string;
}

/** A config this user may not read: nothing can be predicted, and the CLI says how to fix that. */
export interface UnreadableConfig {
  configPath: string;
  unreadable: true;
  diagnostics: EngineDiagnostic[];
  files: FileFindings[];
}

export type ConfigFileAnalysis = FileAnalysis | UnreadableConfig;

export function isUnreadable(analysis: ConfigFileAnalysis): analysis is UnreadableConfig {
  return 'unreadable' in analysis;
}

function unreadableConfig(ctx: EngineContext, configPath: string): UnreadableConfig {
  const diagnostics = [cannotReadAsThisUser(configPath, ctx.userName)];
  return { configPath, unreadable: true, diagnostics, files: [{ path: configPath, kind: 'config', diagnostics }] };
}

/**
 * Reads a config from disk the way the agent opens it: a missing file is 316, bytes that are
 * not UTF-8 are 305. Never reads more than MAX_CONFIG_BYTES.
 */
export function analyzeFile(ctx: EngineContext, configPath: string, options: AnalyzeOptions = {}): ConfigFileAnalysis {
  const refuse = (kind: AgentFailureKind, message: string, rule: string): FileAnalysis => ({
    ...wholeFileProblem(ctx, { ...options, configPath }, kind, message, rule),
    configPath,
  });
  const info = ctx.fileSystem.stat(configPath);
  if (isDenied(info)) return unreadableConfig(ctx, configPath);
  if (!info || info.kind !== 'file') {
    return refuse('configNotFound', `${l10n.t('The agent finds no config file at {0} (316).', configPath)} ${silentFailureNote()}`, 'configNotFound');
  }
  if (info.size > MAX_CONFIG_BYTES) return refuse('configParse', tooLargeMessage(info.size), 'tooLarge');
  const bytes = ctx.fileSystem.readFile(configPath, MAX_CONFIG_BYTES);
  if (isDenied(bytes)) return unreadableConfig(ctx, configPath);
  if (!bytes) return refuse('configParse', l10n.t('The config {0} cannot be read.', configPath), 'unreadable');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return refuse('configParse', `${l10n.t('The config is not valid UTF-8 text: the agent cannot decode it (305).')} ${silentFailureNote()}`, 'encoding');
  }
  return { ...analyzeText(ctx, text, { ...options, configPath }), configPath };
}
