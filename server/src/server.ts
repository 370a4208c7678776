import {
  CodeActionKind,
  createConnection,
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
import { AnalysisCache, isConfigDocument } from './analysisCache';
import { configCodeActions } from './codeActions/configFixes';
import { applyFileFix, CREATE_SCRIPT_COMMAND, CreateScriptArguments, createScript, FILE_FIX_COMMAND, FileFixArguments, fileCodeActions } from './codeActions/fileFixes';
import { planScaffold } from './engine/scaffold';
import * as l10n from '@vscode/l10n';
import { pathToFileURL } from 'url';
import { describeOutcome, outcomeLenses } from './codeLens/outcomeLens';
import { completeConfig } from './completion/completion';
import { toLspDiagnostic } from './diagnostics/toLsp';
import { setLocale } from './engine/l10n';
import { hoverConfig } from './hover/hover';
import { scriptDefinition, scriptLinks } from './links/scriptLinks';
import { DEFAULT_SETTINGS, normalizeSettings, ServerSettings } from './workspace/settings';

/** Sent after each analysis so that the client's status item shows the predicted agent result. */
export const OUTCOME_NOTIFICATION = 'vmsnapshot/outcome';

interface InitializationOptions {
  /** The client's workspace trust: no executable named by settings runs without it. */
  trusted?: boolean;
  settings?: unknown;
}

export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const cache = new AnalysisCache();
  const settingsByUri = new Map<string, Promise<ServerSettings>>();
  let pullDiagnostics = false;
  let configurationRequests = false;
  let initialSettings: ServerSettings = DEFAULT_SETTINGS;
  let trusted = true;

  /** Errors are logged and answered with a fallback: a broken request must never take the server down. */
  const runSafe = <R>(name: string, fallback: R, work: () => R): R => {
    try {
      return work();
    } catch (error) {
      connection.console.error(`${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
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
    cache.setWorkspaceFolders((params.workspaceFolders ?? []).map((folder) => folder.uri));
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

  connection.onInitialized(() => {
    if (configurationRequests) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'vmsnapshot' });
  });

  connection.onNotification('vmsnapshot/trust', (params: { trusted?: boolean }) => {
    trusted = params.trusted !== false;
    refreshAll();
  });

  const analyze = async (uri: string) => {
    const opened = documents.get(uri);
    if (!opened || !isConfigDocument(opened)) return undefined;
    const settings = await settingsFor(uri);
    // Look the document up again after the await: answers are always for its newest version.
    const document = documents.get(uri);
    return document ? runSafe('analysis', undefined, () => cache.get(document, settings)) : undefined;
  };

  const diagnosticsFor = async (uri: string) => {
    const analysis = await analyze(uri);
    if (!analysis) return [];
    void connection.sendNotification(OUTCOME_NOTIFICATION, { uri, text: describeOutcome(analysis), code: analysis.outcome.code, severity: analysis.outcome.code === 0 ? 'ok' : 'error' });
    return analysis.diagnostics.filter((diagnostic) => diagnostic.file === undefined).map(toLspDiagnostic);
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
        void diagnosticsFor(uri).then((diagnostics) => {
          if (documents.get(uri)?.version === version) void connection.sendDiagnostics({ uri, version, diagnostics });
        });
      }),
    );
  };

  const refreshAll = (): void => {
    cache.invalidateAll();
    if (pullDiagnostics) void connection.languages.diagnostics.refresh();
    else for (const document of documents.all()) schedulePush(document.uri);
  };

  connection.onDidChangeConfiguration((change) => {
    settingsByUri.clear();
    if (!configurationRequests) initialSettings = normalizeSettings((change.settings as { vmsnapshot?: unknown } | undefined)?.vmsnapshot);
    refreshAll();
  });

  connection.onDidChangeWatchedFiles(() => refreshAll());

  documents.onDidChangeContent((event) => schedulePush(event.document.uri));
  documents.onDidClose((event) => {
    cache.forget(event.document.uri);
    settingsByUri.delete(event.document.uri);
    if (!pullDiagnostics) void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.languages.diagnostics.on(async (params) => {
    if (!documents.get(params.textDocument.uri)) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    return { kind: DocumentDiagnosticReportKind.Full, items: await diagnosticsFor(params.textDocument.uri) };
  });

  connection.onCompletion(async (params, token) => {
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
    return analysis ? runSafe('codeLens', [], () => outcomeLenses(analysis)) : [];
  });

  connection.onCodeAction(async (params) => {
    const analysis = await analyze(params.textDocument.uri);
    if (!analysis) return [];
    return runSafe('codeAction', [], () => [
      ...configCodeActions(analysis, params.textDocument.uri, params.context?.diagnostics ?? [], params.context?.only),
      ...fileCodeActions(params.context?.diagnostics ?? []),
    ]);
  });

  /** Asks before anything that changes the system outside the open document. */
  const confirm = async (message: string, action: string): Promise<boolean> => {
    const answer = await connection.window.showWarningMessage(message, { title: action }, { title: l10n.t('Cancel') });
    return answer?.title === action;
  };

  const reportFailure = (error: unknown): void => {
    void connection.window.showErrorMessage(l10n.t('VM Snapshot: {0}', error instanceof Error ? error.message : String(error)));
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
        const template = planScaffold('generic').files.find((file) => file.role === args.side);
        if (!template) return;
        createScript(args, template.content);
        refreshAll();
        void connection.window.showDocument({ uri: pathToFileURL(args.localPath).toString(), takeFocus: true });
      }
    } catch (error) {
      reportFailure(error);
    }
  });

  connection.onRequest('vmsnapshot/effective', async (params: { uri: string }) => {
    const analysis = await analyze(params.uri);
    if (!analysis) throw new ResponseError(1, `not a VMSnapshotScriptPluginConfig.json document: ${params.uri}`);
    return { agent: analysis.outcome, effective: analysis.effective };
  });

  void trusted;
  documents.listen(connection);
  connection.listen();
}
