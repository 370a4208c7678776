import * as l10n from '@vscode/l10n';
import { pathToFileURL } from 'url';
import {
  CodeActionKind,
  Connection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  InitializeParams,
  InitializeResult,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { AgentIniService, isAgentIniDocument } from './agentFiles/agentIniService';
import { AnalysisCache, isConfigDocument } from './analysisCache';
import { configCodeActions } from './codeActions/configFixes';
import { applyFileFix, CREATE_SCRIPT_COMMAND, CreateScriptArguments, createScript, FILE_FIX_COMMAND, FileFixArguments, fileCodeActions } from './codeActions/fileFixes';
import { scriptCodeActions } from './codeActions/scriptFixes';
import { describePrediction, outcomeLenses } from './codeLens/outcomeLens';
import { describePredictedRun } from './codeLens/predictedRun';
import { completeConfig } from './completion/completion';
import { completeShellSnippets } from './completion/shellSnippets';
import { OtherFileDiagnostics } from './diagnostics/otherFiles';
import { toLspDiagnostic } from './diagnostics/toLsp';
import type { AnalysisResult } from './engine/analyze';
import { setLocale } from './engine/l10n';
import { createEngine, Engine } from './engine/service/engine';
import { hoverConfig } from './hover/hover';
import { explainVm, isLogDocument, logDiagnostics, logHover, logLenses, redactDocument } from './logs/logDocuments';
import { scriptDefinition, scriptLinks } from './links/scriptLinks';
import { PredictedRunRequest, ExplainVmRequest, OutcomeNotification, OutcomeParams, PredictedRunTextRequest, RedactRequest, TrustNotification, VmOwnConfigRequest } from './protocol';
import { vmOwnConfig } from './rehearse/vmOwnConfig';
import { checkScriptDocument } from './scriptDocuments/scriptDocuments';
import { agentScriptsOf, ScriptRegistry } from './scriptDocuments/scriptRegistry';
import { connect } from './stdioTransport';
import { StructureFeatures } from './structure/structureFeatures';
import { FileUris } from './workspace/fileUris';
import { nodeFileSystem } from './engine/fs/fileSystem';
import { recentFileSystem } from './engine/fs/recentFileSystem';
import { DEFAULT_SETTINGS, normalizeSettings, ServerSettings } from './workspace/settings';

interface InitializationOptions {
  /**
   * The client's workspace trust: no executable named by a setting runs without it. Editors
   * without the notion of trust do not send it and are trusted, as they run anything anyway.
   */
  trusted?: boolean;
  settings?: unknown;
}

function isScriptDocument(document: Pick<TextDocument, 'uri' | 'languageId'>): boolean {
  return document.languageId === 'shellscript' || document.uri.endsWith('.sh');
}

/** ShellCheck waits this long after a keystroke, so that typing runs it once. */
const SHELLCHECK_THROTTLE_MS = 250;

/** How old a stat of the agent's files and scripts may be when a keystroke is analysed. */
const DISK_LOOK_INTERVAL_MS = 1000;

/** What the handlers share: the connection, the open documents, the engine and what the client told us. */
class ServerState {
  readonly documents = new TextDocuments(TextDocument);
  /** Typing re-analyses on every keystroke; the disk is looked at again at most once a second or when told it changed. */
  readonly disk = recentFileSystem(nodeFileSystem, DISK_LOOK_INTERVAL_MS);
  /** One ShellCheck at a time: the other core stays with the editor. */
  readonly engine: Engine = createEngine({ fileSystem: this.disk, shellcheckConcurrency: 1, shellcheckThrottleMs: SHELLCHECK_THROTTLE_MS });
  readonly cache = new AnalysisCache(this.engine);
  readonly registry = new ScriptRegistry(this.engine);
  /** workload.conf, VMSnapshotPluginHost.conf and vmbackup.conf, analysed from the editor's text. */
  readonly agentIni = new AgentIniService(this.engine.fileSystem);
  readonly otherFiles: OtherFileDiagnostics;
  /** Completion, hover and the rest share a cached analysis: its side effects run once. */
  readonly notedAnalyses = new WeakSet<object>();
  readonly settingsByUri = new Map<string, Promise<ServerSettings>>();
  workspaceFolders: string[] = [];
  pullDiagnostics = false;
  configurationRequests = false;
  initialSettings: ServerSettings = DEFAULT_SETTINGS;
  trusted = true;

  constructor(readonly connection: Connection) {
    this.otherFiles = new OtherFileDiagnostics((uri, diagnostics) => void connection.sendDiagnostics({ uri, diagnostics }));
  }

  /** Errors are logged and answered with a fallback: a broken request must never take the server down. */
  logFailure(name: string, error: unknown): void {
    this.connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }

  runSafe<R>(name: string, fallback: R, work: () => R): R {
    try {
      return work();
    } catch (error) {
      this.logFailure(name, error);
      return fallback;
    }
  }

  settingsFor(uri: string): Promise<ServerSettings> {
    if (!this.configurationRequests) return Promise.resolve(this.initialSettings);
    let pending = this.settingsByUri.get(uri);
    if (!pending) {
      pending = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'vmsnapshot' }).then(normalizeSettings, () => this.initialSettings);
      this.settingsByUri.set(uri, pending);
    }
    return pending;
  }

  /** An open agent script is checked from the editor's text, not pushed from a config's reading of the disk. */
  checksItsOwnText(uri: string): boolean {
    const document = this.documents.get(uri);
    if (document !== undefined && isAgentIniDocument(document)) return true;
    return document !== undefined && isScriptDocument(document) && this.registry.isAgentScript(URI.parse(uri).fsPath);
  }
}

function initialize(state: ServerState, params: InitializeParams): InitializeResult {
  setLocale(params.locale);
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  state.trusted = options.trusted !== false;
  state.initialSettings = normalizeSettings(options.settings);
  state.pullDiagnostics = Boolean(params.capabilities.textDocument?.diagnostic);
  state.configurationRequests = Boolean(params.capabilities.workspace?.configuration);
  state.workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
  if (state.workspaceFolders.length === 0 && params.rootUri) state.workspaceFolders = [params.rootUri];
  state.cache.setWorkspaceFolders(state.workspaceFolders);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['"', '/', ':', '[', '='], resolveProvider: false },
      hoverProvider: true,
      definitionProvider: true,
      documentLinkProvider: { resolveProvider: false },
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.vmsnapshot`] },
      executeCommandProvider: { commands: [FILE_FIX_COMMAND, CREATE_SCRIPT_COMMAND] },
      ...(state.pullDiagnostics ? { diagnosticProvider: { identifier: 'vmsnapshot', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
    },
    serverInfo: { name: 'vmsnapshot-language-server' },
  };
}

/** Diagnostics of configs and agent scripts (pulled or pushed), findings about other files pushed, outcomes notified. */
class DiagnosticsFlow {
  private readonly pendingPushes = new Map<string, NodeJS.Immediate>();
  /** What the status item was last told per document. */
  private readonly outcomesSent = new Map<string, string>();
  private readonly scriptUris = new FileUris();
  /** Told of each new analysis, with the document version it is of. */
  onAnalysis?: (document: TextDocument, analysis: AnalysisResult) => void;

  constructor(private readonly state: ServerState) {}

  /** The newest version's analysis; its side effects (registry, other files, outcome) run once per analysis. */
  async analyze(uri: string): Promise<AnalysisResult | undefined> {
    const { state } = this;
    const opened = state.documents.get(uri);
    if (!opened || !isConfigDocument(opened)) return undefined;
    const settings = await state.settingsFor(uri);
    // Look the document up again after the await: answers are always for its newest version.
    const document = state.documents.get(uri);
    if (!document) return undefined;
    const analysis = state.runSafe('analysis', undefined, () => state.cache.get(document, settings));
    if (analysis && !state.notedAnalyses.has(analysis)) {
      state.notedAnalyses.add(analysis);
      // After the answer that is waiting for this analysis: none of this is part of it.
      setImmediate(() => this.noteAnalysis(uri, document, analysis));
    }
    return analysis;
  }

  /** What follows from a new analysis beyond the config's own diagnostics: other files, the status item. */
  private noteAnalysis(uri: string, document: TextDocument, analysis: AnalysisResult): void {
    const { state } = this;
    state.runSafe('note analysis', undefined, () => {
      if (state.registry.noteAnalysis(uri, analysis)) this.refreshScripts();
      state.otherFiles.update(uri, analysis, (fileUri) => state.checksItsOwnText(fileUri));
      this.notifyOutcome(uri, analysis);
      this.onAnalysis?.(document, analysis);
    });
  }

  /** The status item shows the result on the config and on every script it names. */
  private notifyOutcome(uri: string, analysis: AnalysisResult): void {
    const ok = analysis.outcome.code === 0 && !analysis.consistencyNotAchieved;
    const params = { text: describePrediction(analysis), code: analysis.outcome.code, severity: ok ? ('ok' as const) : ('error' as const) };
    this.sendOutcome({ uri, ...params });
    for (const script of agentScriptsOf(analysis)) this.sendOutcome({ uri: this.scriptUris.of(script), configUri: uri, ...params });
  }

  /**
   * Only what changed: most keystrokes leave the result as it was, and every message is a write
   * the editor has to read before the diagnostics it is waiting for.
   */
  sendOutcome(params: OutcomeParams): void {
    const said = JSON.stringify(params);
    if (this.outcomesSent.get(params.uri) === said) return;
    this.outcomesSent.set(params.uri, said);
    void this.state.connection.sendNotification(OutcomeNotification, params);
  }

  /** A closed document's item is gone: reopened, it is told again. */
  forgetOutcome(uri: string): void {
    this.outcomesSent.delete(uri);
  }

  private async configDiagnostics(uri: string): Promise<Diagnostic[]> {
    const analysis = await this.analyze(uri);
    const own = analysis?.files.find((file) => file.kind === 'config');
    return (own?.diagnostics ?? analysis?.diagnostics.filter((diagnostic) => diagnostic.file === undefined) ?? []).map(toLspDiagnostic);
  }

  private async scriptDiagnostics(uri: string, token?: { isCancellationRequested: boolean }): Promise<Diagnostic[]> {
    const { state } = this;
    const document = state.documents.get(uri);
    if (!document || URI.parse(uri).scheme !== 'file' || !state.checksItsOwnText(uri)) return [];
    const settings = await state.settingsFor(uri);
    const behaviour = state.registry.behaviourRunFor(URI.parse(uri).fsPath);
    const found = await checkScriptDocument(document, { engine: state.engine, settings, trusted: state.trusted, token, behaviour });
    return found.map(toLspDiagnostic);
  }

  async diagnosticsFor(uri: string, token?: { isCancellationRequested: boolean }): Promise<Diagnostic[]> {
    const document = this.state.documents.get(uri);
    if (!document) return [];
    if (isLogDocument(document)) return this.state.runSafe('log diagnostics', [], () => logDiagnostics(document));
    if (isConfigDocument(document)) return this.configDiagnostics(uri);
    if (isScriptDocument(document)) return this.scriptDiagnostics(uri, token);
    if (isAgentIniDocument(document)) return this.agentIniDiagnostics(document);
    return [];
  }

  /** An agent INI file's own findings; the status item says which path the agent takes. */
  private async agentIniDiagnostics(document: TextDocument): Promise<Diagnostic[]> {
    const { state } = this;
    const settings = await state.settingsFor(document.uri);
    const text = state.agentIni.describePath(document, settings);
    if (text) this.sendOutcome({ uri: document.uri, text, code: 0, severity: 'ok' });
    return state.agentIni.diagnostics(document, settings);
  }

  /** Push mode only: coalesce a burst of changes into one analysis of the newest version. */
  schedulePush(uri: string): void {
    const { state } = this;
    if (state.pullDiagnostics) {
      // Pulled diagnostics come on the client's request; the pushes to other files still need an analysis.
      const document = state.documents.get(uri);
      if (document && isConfigDocument(document)) void this.analyze(uri);
      return;
    }
    clearImmediate(this.pendingPushes.get(uri));
    this.pendingPushes.set(
      uri,
      setImmediate(() => {
        this.pendingPushes.delete(uri);
        const version = state.documents.get(uri)?.version;
        this.diagnosticsFor(uri).then(
          (diagnostics) => {
            if (state.documents.get(uri)?.version === version) void state.connection.sendDiagnostics({ uri, version, diagnostics });
          },
          (error: unknown) => state.logFailure('diagnostics', error),
        );
      }),
    );
  }

  refreshAll(): void {
    const { state } = this;
    state.disk.forget();
    state.cache.invalidateAll();
    state.agentIni.invalidateAll();
    if (state.pullDiagnostics) {
      void state.connection.languages.diagnostics.refresh();
      for (const document of state.documents.all()) if (isConfigDocument(document)) void this.analyze(document.uri);
    } else for (const document of state.documents.all()) this.schedulePush(document.uri);
  }

  /** The set of agent scripts changed: their documents' diagnostics may appear or go. */
  refreshScripts(): void {
    const { state } = this;
    if (state.pullDiagnostics) void state.connection.languages.diagnostics.refresh();
    else for (const document of state.documents.all()) if (isScriptDocument(document)) this.schedulePush(document.uri);
  }
}

function registerLifecycle(state: ServerState, flow: DiagnosticsFlow, structure: StructureFeatures): void {
  const { connection, documents } = state;
  /** Learns which scripts the workspace's configs name; off the request path, after start-up. */
  const scanWorkspace = (): void => {
    setImmediate(() => {
      void state.settingsFor(state.workspaceFolders[0] ?? '').then((settings) => {
        state.runSafe('workspace scan', undefined, () => state.registry.scan(state.workspaceFolders, settings));
        flow.refreshScripts();
      });
    });
  };
  connection.onInitialize((params) => {
    const result = initialize(state, params);
    return { ...result, capabilities: { ...result.capabilities, ...structure.capabilities(params.capabilities) } };
  });
  connection.onInitialized(() => {
    if (state.configurationRequests) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'vmsnapshot' });
    structure.registerDynamically();
    scanWorkspace();
  });
  connection.onNotification(TrustNotification, (params) => {
    state.trusted = params.trusted !== false;
    flow.refreshAll();
  });
  connection.onDidChangeConfiguration((change) => {
    state.settingsByUri.clear();
    if (!state.configurationRequests) state.initialSettings = normalizeSettings((change.settings as { vmsnapshot?: unknown } | undefined)?.vmsnapshot);
    flow.refreshAll();
    scanWorkspace();
  });
  connection.onDidChangeWatchedFiles((change) => {
    flow.refreshAll();
    if (change.changes.some((event) => event.uri.endsWith('/VMSnapshotScriptPluginConfig.json'))) scanWorkspace();
  });
  documents.onDidChangeContent((event) => flow.schedulePush(event.document.uri));
  documents.onDidOpen((event) => {
    // Opening a file is when its user expects today's disk, whatever was seen a moment ago.
    state.disk.forget();
    if (state.checksItsOwnText(event.document.uri)) state.otherFiles.release(event.document.uri);
  });
  documents.onDidClose((event) => {
    // A closed agent script is judged from the disk again, through its configs' analyses.
    if (isScriptDocument(event.document) && state.registry.isAgentScript(URI.parse(event.document.uri).fsPath)) setImmediate(() => flow.refreshAll());
    state.cache.forget(event.document.uri);
    flow.forgetOutcome(event.document.uri);
    state.agentIni.forget(event.document.uri);
    state.settingsByUri.delete(event.document.uri);
    state.otherFiles.forget(event.document.uri);
    if (!state.pullDiagnostics) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });
}

function registerDiagnostics(state: ServerState, flow: DiagnosticsFlow): void {
  state.connection.languages.diagnostics.on(async (params, token) => {
    let items: Diagnostic[] = [];
    try {
      items = await flow.diagnosticsFor(params.textDocument.uri, token);
    } catch (error) {
      state.logFailure('diagnostics', error);
    }
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });
}

/** workload.conf, VMSnapshotPluginHost.conf or vmbackup.conf, with the settings that apply to it. */
async function agentIniDocument(state: ServerState, uri: string): Promise<{ document: TextDocument; settings: ServerSettings } | undefined> {
  const document = state.documents.get(uri);
  return document && isAgentIniDocument(document) ? { document, settings: await state.settingsFor(uri) } : undefined;
}

function registerConfigFeatures(state: ServerState, flow: DiagnosticsFlow): void {
  const { connection } = state;
  connection.onCompletion(async (params, token) => {
    const ini = await agentIniDocument(state, params.textDocument.uri);
    if (ini) return state.runSafe('completion', null, () => ({ isIncomplete: false, items: state.agentIni.completion(ini.document, ini.settings, params.position) }));
    const script = state.documents.get(params.textDocument.uri);
    if (script && isScriptDocument(script)) {
      return state.runSafe('completion', null, () => ({ isIncomplete: false, items: completeShellSnippets(script.getText(), script.offsetAt(params.position), (offset) => script.positionAt(offset)) }));
    }
    const analysis = await flow.analyze(params.textDocument.uri);
    if (!analysis || token.isCancellationRequested) return null;
    return state.runSafe('completion', null, () => ({ isIncomplete: false, items: completeConfig(analysis, analysis.document.lines.offsetAt(params.position)) }));
  });
  connection.onHover(async (params) => {
    const ini = await agentIniDocument(state, params.textDocument.uri);
    if (ini) return state.runSafe('hover', null, () => state.agentIni.hover(ini.document, ini.settings, params.position));
    const log = state.documents.get(params.textDocument.uri);
    if (log && isLogDocument(log)) return state.runSafe('log hover', null, () => logHover(log, params.position));
    const analysis = await flow.analyze(params.textDocument.uri);
    return analysis ? state.runSafe('hover', null, () => hoverConfig(analysis, analysis.document.lines.offsetAt(params.position))) : null;
  });
  connection.onDocumentLinks(async (params) => {
    const analysis = await flow.analyze(params.textDocument.uri);
    return analysis ? state.runSafe('documentLinks', [], () => scriptLinks(analysis)) : [];
  });
  connection.onDefinition(async (params) => {
    const analysis = await flow.analyze(params.textDocument.uri);
    return analysis ? state.runSafe('definition', null, () => scriptDefinition(analysis, analysis.document.lines.offsetAt(params.position))) : null;
  });
  connection.onCodeLens(async (params) => {
    const ini = await agentIniDocument(state, params.textDocument.uri);
    if (ini) return state.runSafe('codeLens', [], () => state.agentIni.codeLenses(ini.document, ini.settings));
    const log = state.documents.get(params.textDocument.uri);
    if (log && isLogDocument(log)) return state.runSafe('log codeLens', [], () => logLenses(log));
    const analysis = await flow.analyze(params.textDocument.uri);
    return analysis ? state.runSafe('codeLens', [], () => outcomeLenses(analysis, params.textDocument.uri)) : [];
  });
  connection.onCodeAction(async (params) => {
    const diagnostics = params.context?.diagnostics ?? [];
    const document = state.documents.get(params.textDocument.uri);
    if (document && isScriptDocument(document)) return state.runSafe('codeAction', [], () => scriptCodeActions(document, diagnostics));
    const analysis = await flow.analyze(params.textDocument.uri);
    if (!analysis) return [];
    return state.runSafe('codeAction', [], () => [...configCodeActions(analysis, params.textDocument.uri, diagnostics, params.context?.only), ...fileCodeActions(diagnostics)]);
  });
  connection.onRequest(PredictedRunRequest, async (params) => {
    const analysis = await flow.analyze(params.uri);
    if (!analysis) throw new ResponseError(1, `not a VMSnapshotScriptPluginConfig.json document: ${params.uri}`);
    const consistency = analysis.consistencyNotAchieved ? { consistencyNotAchieved: analysis.consistencyNotAchieved } : {};
    return { agent: { ...analysis.outcome, ...consistency }, backup: analysis.backup, effective: analysis.effective };
  });
  connection.onRequest(VmOwnConfigRequest, (params) => state.runSafe('vmOwnConfig', { vmOwn: false, agentConfig: '', agentConfigExists: false }, () => vmOwnConfig(params)));
  connection.onRequest(PredictedRunTextRequest, async (params) => {
    const analysis = await flow.analyze(params.uri);
    if (!analysis) throw new ResponseError(1, `not a VMSnapshotScriptPluginConfig.json document: ${params.uri}`);
    return { markdown: describePredictedRun(analysis, URI.parse(params.uri).path.split('/').pop() ?? '') };
  });
}

function registerCommands(state: ServerState, flow: DiagnosticsFlow): void {
  const { connection } = state;
  /** Asks before anything that changes the system outside the open document. */
  const confirm = async (message: string, action: string): Promise<boolean> => {
    const answer = await connection.window.showWarningMessage(message, { title: action }, { title: l10n.t('Cancel') });
    return answer?.title === action;
  };
  const changeFile = async (args: FileFixArguments): Promise<void> => {
    const change = args.mode !== undefined ? l10n.t('set mode {0} on {1}', args.mode.toString(8), args.localPath) : l10n.t('give {0} to root', args.localPath);
    if (!(await confirm(l10n.t('This changes the system: {0}. Go on?', change), l10n.t('Change')))) return;
    applyFileFix(args);
    flow.refreshAll();
  };
  const createMissingScript = (args: CreateScriptArguments): void => {
    // Loaded on first use: the templates are not needed to start the server.
    const { planScaffold } = require('./engine/scaffold') as typeof import('./engine/scaffold');
    const template = planScaffold('generic').files.find((file) => file.role === args.side);
    if (!template) return;
    createScript(args, template.content);
    flow.refreshAll();
    void connection.window.showDocument({ uri: pathToFileURL(args.localPath).toString(), takeFocus: true });
  };
  connection.onExecuteCommand(async (params) => {
    try {
      if (params.command === FILE_FIX_COMMAND) await changeFile(params.arguments?.[0] as FileFixArguments);
      else if (params.command === CREATE_SCRIPT_COMMAND) createMissingScript(params.arguments?.[0] as CreateScriptArguments);
    } catch (error) {
      void connection.window.showErrorMessage(l10n.t('VM Snapshot: {0}', error instanceof Error ? error.message : String(error)));
    }
  });
}

export function startServer(): void {
  const state = new ServerState(connect(process.argv.includes('--stdio')));
  const flow = new DiagnosticsFlow(state);
  const structure = new StructureFeatures(state.connection, state.documents, { analyze: (uri) => flow.analyze(uri), runSafe: (name, fallback, work) => state.runSafe(name, fallback, work) });
  flow.onAnalysis = (document, analysis) => structure.prepare(document, analysis);
  registerLifecycle(state, flow, structure);
  registerDiagnostics(state, flow);
  registerConfigFeatures(state, flow);
  registerCommands(state, flow);
  state.connection.onRequest(ExplainVmRequest, () => explainVm());
  state.connection.onRequest(RedactRequest, (params) => redactDocument(params.text));
  state.documents.listen(state.connection);
  state.connection.listen();
}
