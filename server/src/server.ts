import * as l10n from '@vscode/l10n';
import { pathToFileURL } from 'url';
import {
  CodeActionKind,
  createConnection,
  Diagnostic,
  DidChangeConfigurationNotification,
  DocumentDiagnosticReportKind,
  InitializeParams,
  InitializeResult,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { AnalysisCache, isConfigDocument } from './analysisCache';
import { configCodeActions } from './codeActions/configFixes';
import { applyFileFix, CREATE_SCRIPT_COMMAND, CreateScriptArguments, createScript, FILE_FIX_COMMAND, FileFixArguments, fileCodeActions } from './codeActions/fileFixes';
import { describeOutcome, outcomeLenses } from './codeLens/outcomeLens';
import { describePredictedRun } from './codeLens/predictedRun';
import { completeConfig } from './completion/completion';
import { completeShellSnippets } from './completion/shellSnippets';
import { toLspDiagnostic } from './diagnostics/toLsp';
import { setLocale } from './engine/l10n';
import { hoverConfig } from './hover/hover';
import { scriptDefinition, scriptLinks } from './links/scriptLinks';
import { checkScriptDocument } from './scripts/scriptDocuments';
import { scriptCodeActions } from './codeActions/scriptFixes';
import { ScriptRegistry } from './scripts/scriptRegistry';
import { DEFAULT_SETTINGS, normalizeSettings, ServerSettings } from './workspace/settings';

/** Sent after each analysis so that the client's status item shows the predicted agent result. */
export const OUTCOME_NOTIFICATION = 'vmsnapshot/outcome';
/** The predicted run in markdown, for the view the code lens opens. */
export const PREDICTION_REQUEST = 'vmsnapshot/prediction';

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

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache();
  const registry = new ScriptRegistry();
  const notedAnalyses = new WeakSet<object>();
  const settingsByUri = new Map<string, Promise<ServerSettings>>();
  let workspaceFolders: string[] = [];
  let pullDiagnostics = false;
  let configurationRequests = false;
  let initialSettings: ServerSettings = DEFAULT_SETTINGS;
  let trusted = true;

  /** Errors are logged and answered with a fallback: a broken request must never take the server down. */
  const logFailure = (name: string, error: unknown): void => {
    connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  };
  const runSafe = <R>(name: string, fallback: R, work: () => R): R => {
    try {
      return work();
    } catch (error) {
      logFailure(name, error);
      return fallback;
    }
  };

  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!configurationRequests) return Promise.resolve(initialSettings);
    let pending = settingsByUri.get(uri);
    if (!pending) {
      pending = connection.workspace.getConfiguration({ scopeUri: uri, section: 'vmsnapshot' }).then(normalizeSettings, () => initialSettings);
      settingsByUri.set(uri, pending);
    }
    return pending;
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    setLocale(params.locale);
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    trusted = options.trusted !== false;
    initialSettings = normalizeSettings(options.settings);
    pullDiagnostics = Boolean(params.capabilities.textDocument?.diagnostic);
    configurationRequests = Boolean(params.capabilities.workspace?.configuration);
    workspaceFolders = (params.workspaceFolders ?? []).map((folder) => folder.uri);
    if (workspaceFolders.length === 0 && params.rootUri) workspaceFolders = [params.rootUri];
    cache.setWorkspaceFolders(workspaceFolders);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['"', '/', ':'], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        documentLinkProvider: { resolveProvider: false },
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, `${CodeActionKind.SourceFixAll}.vmsnapshot`] },
        executeCommandProvider: { commands: [FILE_FIX_COMMAND, CREATE_SCRIPT_COMMAND] },
        ...(pullDiagnostics ? { diagnosticProvider: { identifier: 'vmsnapshot', interFileDependencies: true, workspaceDiagnostics: false } } : {}),
      },
      serverInfo: { name: 'vmsnapshot-language-server' },
    };
  });

  /** Learns which scripts the workspace's configs name; off the request path, after start-up. */
  const scanWorkspace = (): void => {
    setImmediate(() => {
      void settingsFor(workspaceFolders[0] ?? '').then((settings) => {
        runSafe('workspace scan', undefined, () => registry.scan(workspaceFolders, settings));
        refreshScripts();
      });
    });
  };

  connection.onInitialized(() => {
    if (configurationRequests) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'vmsnapshot' });
    scanWorkspace();
  });

  const analyze = async (uri: string) => {
    const opened = documents.get(uri);
    if (!opened || !isConfigDocument(opened)) return undefined;
    const settings = await settingsFor(uri);
    // Look the document up again after the await: answers are always for its newest version.
    const document = documents.get(uri);
    if (!document) return undefined;
    const analysis = runSafe('analysis', undefined, () => cache.get(document, settings));
    // Completion, hover and the rest share a cached analysis: learn its scripts once.
    if (analysis && !notedAnalyses.has(analysis)) {
      notedAnalyses.add(analysis);
      if (registry.noteAnalysis(uri, analysis)) refreshScripts();
    }
    return analysis;
  };

  const configDiagnostics = async (uri: string): Promise<Diagnostic[]> => {
    const analysis = await analyze(uri);
    if (!analysis) return [];
    void connection.sendNotification(OUTCOME_NOTIFICATION, { uri, text: describeOutcome(analysis), code: analysis.outcome.code, severity: analysis.outcome.code === 0 ? 'ok' : 'error' });
    // Findings about other files (scripts, the host conf) belong to those files' own documents.
    return analysis.diagnostics.filter((diagnostic) => diagnostic.file === undefined).map(toLspDiagnostic);
  };

  const scriptDiagnostics = async (uri: string): Promise<Diagnostic[]> => {
    const document = documents.get(uri);
    const parsed = URI.parse(uri);
    if (!document || parsed.scheme !== 'file' || !registry.isAgentScript(parsed.fsPath)) return [];
    const settings = await settingsFor(uri);
    const found = await checkScriptDocument(document, { settings, trusted });
    return found.map(toLspDiagnostic);
  };

  const diagnosticsFor = async (uri: string): Promise<Diagnostic[]> => {
    const document = documents.get(uri);
    if (!document) return [];
    if (isConfigDocument(document)) return configDiagnostics(uri);
    if (isScriptDocument(document)) return scriptDiagnostics(uri);
    return [];
  };

  const pendingPushes = new Map<string, NodeJS.Immediate>();
  /** Push mode only: coalesce a burst of changes into one analysis of the newest version. */
  const schedulePush = (uri: string): void => {
    if (pullDiagnostics) return;
    clearImmediate(pendingPushes.get(uri));
    pendingPushes.set(
      uri,
      setImmediate(() => {
        pendingPushes.delete(uri);
        const version = documents.get(uri)?.version;
        diagnosticsFor(uri).then(
          (diagnostics) => {
            if (documents.get(uri)?.version === version) void connection.sendDiagnostics({ uri, version, diagnostics });
          },
          (error: unknown) => logFailure('diagnostics', error),
        );
      }),
    );
  };

  const refreshAll = (): void => {
    cache.invalidateAll();
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) schedulePush(document.uri);
  };

  /** The set of agent scripts changed: their documents' diagnostics may appear or go. */
  const refreshScripts = (): void => {
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) if (isScriptDocument(document)) schedulePush(document.uri);
  };

  connection.onNotification('vmsnapshot/trust', (params: { trusted?: boolean }) => {
    trusted = params.trusted !== false;
    refreshAll();
  });

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    if (!configurationRequests) initialSettings = normalizeSettings((change.settings as { vmsnapshot?: unknown } | undefined)?.vmsnapshot);
    refreshAll();
    scanWorkspace();
  });

  connection.onDidChangeWatchedFiles((change) => {
    refreshAll();
    if (change.changes.some((event) => event.uri.endsWith('/VMSnapshotScriptPluginConfig.json'))) scanWorkspace();
  });

  documents.onDidChangeContent((event) => schedulePush(event.document.uri));
  documents.onDidClose((event) => {
    cache.forget(event.document.uri);
    settingsByUri.delete(event.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    let items: Diagnostic[] = [];
    try {
      items = await diagnosticsFor(params.textDocument.uri);
    } catch (error) {
      logFailure('diagnostics', error);
    }
    return { kind: DocumentDiagnosticReportKind.Full, items };
  });

  connection.onCompletion(async (params, token) => {
    const script = documents.get(params.textDocument.uri);
    if (script && isScriptDocument(script)) {
      return runSafe('completion', null, () => ({ isIncomplete: false, items: completeShellSnippets(script.getText(), script.offsetAt(params.position), (offset) => script.positionAt(offset)) }));
    }
    const analysis = await analyze(params.textDocument.uri);
    if (!analysis || token.isCancellationRequested) return null;
    return runSafe('completion', null, () => ({ isIncomplete: false, items: completeConfig(analysis, analysis.document.lines.offsetAt(params.position)) }));
  });

  connection.onHover(async (params) => {
    const analysis = await analyze(params.textDocument.uri);
    if (!analysis) return null;
    return runSafe('hover', null, () => hoverConfig(analysis, analysis.document.lines.offsetAt(params.position)));
  });

  connection.onDocumentLinks(async (params) => {
    const analysis = await analyze(params.textDocument.uri);
    return analysis ? runSafe('documentLinks', [], () => scriptLinks(analysis)) : [];
  });

  connection.onDefinition(async (params) => {
    const analysis = await analyze(params.textDocument.uri);
    return analysis ? runSafe('definition', null, () => scriptDefinition(analysis, analysis.document.lines.offsetAt(params.position))) : null;
  });

  connection.onCodeLens(async (params) => {
    const analysis = await analyze(params.textDocument.uri);
    return analysis ? runSafe('codeLens', [], () => outcomeLenses(analysis, params.textDocument.uri)) : [];
  });

  connection.onCodeAction(async (params) => {
    const diagnostics = params.context?.diagnostics ?? [];
    const document = documents.get(params.textDocument.uri);
    if (document && isScriptDocument(document)) return runSafe('codeAction', [], () => scriptCodeActions(document, diagnostics));
    const analysis = await analyze(params.textDocument.uri);
    if (!analysis) return [];
    return runSafe('codeAction', [], () => [...configCodeActions(analysis, params.textDocument.uri, diagnostics, params.context?.only), ...fileCodeActions(diagnostics)]);
  });

  /** Asks before anything that changes the system outside the open document. */
  const confirm = async (message: string, action: string): Promise<boolean> => {
    const answer = await connection.window.showWarningMessage(message, { title: action }, { title: l10n.t('Cancel') });
    return answer?.title === action;
  };

  connection.onExecuteCommand(async (params) => {
    try {
      if (params.command === FILE_FIX_COMMAND) {
        const args = params.arguments?.[0] as FileFixArguments;
        const change = args.mode !== undefined ? l10n.t('set mode {0} on {1}', args.mode.toString(8), args.localPath) : l10n.t('give {0} to root', args.localPath);
        if (await confirm(l10n.t('This changes the system: {0}. Go on?', change), l10n.t('Change'))) {
          applyFileFix(args);
          refreshAll();
        }
      } else if (params.command === CREATE_SCRIPT_COMMAND) {
        const args = params.arguments?.[0] as CreateScriptArguments;
        // Loaded on first use: the templates are not needed to start the server.
        const { planScaffold } = require('./engine/scaffold') as typeof import('./engine/scaffold');
        const template = planScaffold('generic').files.find((file) => file.role === args.side);
        if (!template) return;
        createScript(args, template.content);
        refreshAll();
        void connection.window.showDocument({ uri: pathToFileURL(args.localPath).toString(), takeFocus: true });
      }
    } catch (error) {
      void connection.window.showErrorMessage(l10n.t('VM Snapshot: {0}', error instanceof Error ? error.message : String(error)));
    }
  });

  connection.onRequest('vmsnapshot/effective', async (params: { uri: string }) => {
    const analysis = await analyze(params.uri);
    if (!analysis) throw new ResponseError(1, `not a VMSnapshotScriptPluginConfig.json document: ${params.uri}`);
    return { agent: analysis.outcome, effective: analysis.effective };
  });

  connection.onRequest(PREDICTION_REQUEST, async (params: { uri: string }) => {
    const analysis = await analyze(params.uri);
    if (!analysis) throw new ResponseError(1, `not a VMSnapshotScriptPluginConfig.json document: ${params.uri}`);
    return { markdown: describePredictedRun(analysis, URI.parse(params.uri).path.split('/').pop() ?? '') };
  });

  documents.listen(connection);
  connection.listen();
}
