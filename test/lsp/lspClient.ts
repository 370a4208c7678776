/**
 * A small but real LSP client for the tests: it spawns the bundled server (`node dist/server.js
 * lsp --stdio`) and speaks JSON-RPC to it through vscode-languageserver-protocol, exactly as an
 * editor would. It answers the server's own requests (configuration, registration, diagnostic
 * refresh), records every notification, and lets a test wait for one by predicate: event-based,
 * with a timeout that fails the test with what was received instead.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  ClientCapabilities,
  CodeAction,
  CodeActionParams,
  CodeActionRequest,
  CodeLens,
  CodeLensRequest,
  CompletionItem,
  CompletionList,
  CompletionRequest,
  ConfigurationParams,
  ConfigurationRequest,
  createProtocolConnection,
  Diagnostic,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticReport,
  DocumentDiagnosticRequest,
  ExitNotification,
  Hover,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  InitializeResult,
  LogMessageNotification,
  LogMessageParams,
  MessageActionItem,
  MessageType,
  Position,
  ProtocolConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  Registration,
  RegistrationRequest,
  ShowDocumentParams,
  ShowDocumentRequest,
  ShowMessageRequest,
  ShowMessageRequestParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  WorkDoneProgressCreateRequest,
} from 'vscode-languageserver-protocol/node';

/** The repository root, from out/test/lsp/ (compiled) or test/lsp/ (sources). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', __dirname.includes(`${path.sep}out${path.sep}`) ? '..' : '');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

/** Long enough for a loaded CI machine; a wait that hits it means the server never answered. */
export const DEFAULT_TIMEOUT_MS = 15_000;

export interface OutcomeParams {
  uri: string;
  text: string;
  code: number;
  severity: string;
}

export interface StartOptions {
  /** Announce `textDocument.diagnostic`: the server then offers pull diagnostics instead of pushing. */
  pullDiagnostics?: boolean;
  /** Announce `workspace.configuration`: the server then asks for settings per document. */
  configuration?: boolean;
  /** What the client answers for the `vmsnapshot` section; change it with `client.settings = …`. */
  settings?: Record<string, unknown>;
  locale?: string;
  initializationOptions?: unknown;
  timeoutMs?: number;
  /** Folder paths sent as the workspace folders. */
  workspaceFolders?: string[];
  /** More `textDocument` capabilities, merged over the defaults (e.g. dynamic registration). */
  textDocument?: ClientCapabilities['textDocument'];
}

interface Recorded<T> {
  seq: number;
  value: T;
}

interface Waiter {
  seq: number;
  check: () => boolean;
}

export function fileUri(fsPath: string): string {
  return pathToFileURL(fsPath).toString();
}

export class LspClient {
  /** The settings the client reports for `vmsnapshot` in workspace/configuration. */
  settings: Record<string, unknown>;
  initializeResult!: InitializeResult;

  readonly diagnostics: Recorded<PublishDiagnosticsParams>[] = [];
  readonly outcomes: Recorded<OutcomeParams>[] = [];
  readonly refreshes: Recorded<null>[] = [];
  readonly configurationRequests: Recorded<ConfigurationParams>[] = [];
  readonly logs: LogMessageParams[] = [];
  /** What the "user" answers when the server asks (window/showMessageRequest); null dismisses it. */
  answerMessage: (params: ShowMessageRequestParams) => MessageActionItem | null = () => null;
  readonly messageRequests: ShowMessageRequestParams[] = [];
  readonly shownDocuments: ShowDocumentParams[] = [];
  readonly registrations: Registration[] = [];
  /** What the client answers for sections other than `vmsnapshot` (e.g. `files`). */
  readonly otherSections: Record<string, unknown> = {};

  private seq = 0;
  private readonly waiters = new Set<Waiter>();
  private stderr = '';
  private exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly versions = new Map<string, number>();

  private constructor(
    private readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly timeoutMs: number,
    settings: Record<string, unknown>,
  ) {
    this.settings = settings;
    this.exited = new Promise((resolve) => process.once('exit', (code, signal) => resolve({ code, signal })));
    process.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));

    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.record(this.diagnostics, params));
    connection.onNotification('vmsnapshot/outcome', (params: OutcomeParams) => this.record(this.outcomes, params));
    connection.onNotification(LogMessageNotification.method, (params: LogMessageParams) => {
      this.logs.push(params);
    });
    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.record(this.configurationRequests, params);
      return params.items.map((item) => (item.section === 'vmsnapshot' ? structuredClone(this.settings) : (this.otherSections[item.section ?? ''] ?? null)));
    });
    connection.onRequest(DiagnosticRefreshRequest.type, () => {
      this.record(this.refreshes, null);
    });
    connection.onRequest(ShowMessageRequest.type, (params) => {
      this.messageRequests.push(params);
      return this.answerMessage(params);
    });
    connection.onRequest(ShowDocumentRequest.type, (params) => {
      this.shownDocuments.push(params);
      return { success: true };
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onRequest(WorkDoneProgressCreateRequest.type, () => undefined);
  }

  /** Spawns the server, initializes it with the chosen capabilities and sends `initialized`. */
  static async start(options: StartOptions = {}): Promise<LspClient> {
    const child = spawn(process.execPath, [SERVER_JS, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], cwd: REPO_ROOT });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspClient(child, connection, options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.settings ?? {});
    connection.listen();

    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: options.configuration ?? true,
        didChangeConfiguration: { dynamicRegistration: true },
        ...(options.pullDiagnostics ? { diagnostics: { refreshSupport: true } } : {}),
      },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: true },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, dataSupport: true },
        codeLens: {},
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        ...(options.pullDiagnostics ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
        ...options.textDocument,
      },
    };
    try {
      client.initializeResult = await client.withTimeout(
        connection.sendRequest(InitializeRequest.type, {
          processId: process.pid,
          rootUri: null,
          capabilities,
          locale: options.locale,
          initializationOptions: options.initializationOptions,
          workspaceFolders: options.workspaceFolders?.map((folder) => ({ uri: fileUri(folder), name: path.basename(folder) })) ?? null,
        }),
        'the initialize response',
      );
      await connection.sendNotification(InitializedNotification.type, {});
    } catch (error) {
      await client.kill();
      throw error;
    }
    return client;
  }

  private record<T>(list: Recorded<T>[], value: T): void {
    list.push({ seq: ++this.seq, value });
    for (const waiter of [...this.waiters]) if (waiter.check()) this.waiters.delete(waiter);
  }

  /** A point in the message history: waits given `since: mark` ignore everything before it. */
  mark(): number {
    return this.seq;
  }

  private describeState(): string {
    const pushed = this.diagnostics.map(({ seq, value }) => `  #${seq} ${value.uri} v${value.version ?? '-'}: ${value.diagnostics.map((d) => d.code).join(', ') || '(none)'}`);
    const errors = this.logs.filter((log) => log.type === MessageType.Error).map((log) => `  ${log.message}`);
    return [
      `published diagnostics so far:\n${pushed.join('\n') || '  (none)'}`,
      `outcomes: ${this.outcomes.map(({ value }) => value.code).join(', ') || '(none)'}`,
      `refresh requests: ${this.refreshes.length}, configuration requests: ${this.configurationRequests.length}`,
      errors.length ? `server errors:\n${errors.join('\n')}` : '',
      this.stderr ? `server stderr:\n${this.stderr}` : '',
    ]
      .filter(Boolean)
      .join('\n');
  }

  /** Resolves with the promise's value, or fails with a message naming what never came. */
  withTimeout<T>(promise: Thenable<T>, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Timed out after ${this.timeoutMs} ms waiting for ${what}.\n${this.describeState()}`)), this.timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  private waitFor<T>(list: Recorded<T>[], predicate: (value: T) => boolean, since: number, what: string): Promise<T> {
    const find = () => list.find((entry) => entry.seq > since && predicate(entry.value))?.value;
    const found = find();
    if (found !== undefined) return Promise.resolve(found);
    let waiter: Waiter | undefined;
    const arrived = new Promise<T>((resolve) => {
      waiter = {
        seq: since,
        check: () => {
          const value = find();
          if (value === undefined) return false;
          resolve(value);
          return true;
        },
      };
      this.waiters.add(waiter);
    });
    return this.withTimeout(arrived, what).finally(() => waiter && this.waiters.delete(waiter));
  }

  /** The first `publishDiagnostics` for `uri` after `since` that satisfies `predicate`. */
  waitForDiagnostics(uri: string, predicate: (params: PublishDiagnosticsParams) => boolean = () => true, since = 0): Promise<PublishDiagnosticsParams> {
    return this.waitFor(this.diagnostics, (params) => params.uri === uri && predicate(params), since, `publishDiagnostics for ${uri}`);
  }

  waitForOutcome(uri: string, predicate: (params: OutcomeParams) => boolean = () => true, since = 0): Promise<OutcomeParams> {
    return this.waitFor(this.outcomes, (params) => params.uri === uri && predicate(params), since, `a vmsnapshot/outcome notification for ${uri}`);
  }

  async waitForRefresh(since: number): Promise<void> {
    await this.waitFor(this.refreshes, () => true, since, 'a workspace/diagnostic/refresh request');
  }

  waitForConfigurationRequest(since: number): Promise<ConfigurationParams> {
    return this.waitFor(this.configurationRequests, () => true, since, 'a workspace/configuration request');
  }

  // --- documents -------------------------------------------------------------------------

  async open(uri: string, text: string, languageId = 'vmsnapshot-config'): Promise<void> {
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replaces the whole text; returns the new version. */
  async change(uri: string, text: string): Promise<number> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** What an editor's file watcher says after a file changed on disk. */
  async changedOnDisk(uri: string): Promise<void> {
    await this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri, type: FileChangeType.Changed }] });
  }

  async changeConfiguration(settings: Record<string, unknown>): Promise<void> {
    this.settings = settings;
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: { vmsnapshot: settings } });
  }

  // --- requests --------------------------------------------------------------------------

  async pullDiagnostics(uri: string): Promise<Diagnostic[]> {
    const report: DocumentDiagnosticReport = await this.withTimeout(this.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } }), `textDocument/diagnostic for ${uri}`);
    if (report.kind !== 'full') throw new Error(`expected a full diagnostic report for ${uri}, got ${report.kind}`);
    return report.items;
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[] | null> {
    const result: CompletionItem[] | CompletionList | null = await this.withTimeout(
      this.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position }),
      `textDocument/completion for ${uri}`,
    );
    if (result === null) return null;
    return Array.isArray(result) ? result : result.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.withTimeout(this.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position }), `textDocument/hover for ${uri}`);
  }

  async codeLens(uri: string): Promise<CodeLens[]> {
    return (await this.withTimeout(this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } }), `textDocument/codeLens for ${uri}`)) ?? [];
  }

  async codeActions(params: CodeActionParams): Promise<CodeAction[]> {
    const result = await this.withTimeout(this.connection.sendRequest(CodeActionRequest.type, params), `textDocument/codeAction for ${params.textDocument.uri}`);
    return (result ?? []).map((item) => {
      if (!('kind' in item) && 'command' in item && typeof item.command === 'string') throw new Error(`expected CodeAction literals, got the bare command ${item.title}`);
      return item as CodeAction;
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.withTimeout(this.connection.sendRequest<R>(method, params), `${method}`);
  }

  /** Errors the server logged through `connection.console.error` (the runSafe fallbacks). */
  serverErrors(): string[] {
    return this.logs.filter((log) => log.type === MessageType.Error).map((log) => log.message);
  }

  // --- ending ----------------------------------------------------------------------------

  /** shutdown, exit, then waits for the process to end (killing it if it does not); returns its exit code. */
  async shutdown(): Promise<number | null> {
    try {
      await this.withTimeout(this.connection.sendRequest(ShutdownRequest.type), 'the shutdown response');
      await this.connection.sendNotification(ExitNotification.type);
    } catch (error) {
      await this.kill();
      throw error;
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), this.timeoutMs)));
    const result = await Promise.race([this.exited, timedOut]);
    clearTimeout(timer);
    this.connection.dispose();
    if (result === 'timeout') {
      await this.kill();
      throw new Error(`the server did not exit within ${this.timeoutMs} ms of the exit notification`);
    }
    return result.code;
  }

  /** Closes the server's stdin as a crashed editor would, and waits for the process to end; returns its exit code. */
  async closeInput(): Promise<number | null> {
    this.connection.dispose();
    this.process.stdin?.end();
    const result = await this.withTimeout(this.exited, 'the server to exit after its input closed');
    return result.code;
  }

  /** Last resort, for failed tests: ends the process whatever its state. */
  async kill(): Promise<void> {
    this.connection.dispose();
    if (this.process.exitCode === null && this.process.signalCode === null) {
      this.process.kill('SIGKILL');
      await this.exited;
    }
  }

  get isRunning(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }
}

/** Runs `body` with a started client, then asks that the server logged no error, and stops it. */
export async function withClient(options: StartOptions, body: (client: LspClient) => Promise<void>): Promise<void> {
  const client = await LspClient.start(options);
  try {
    await body(client);
    assert.deepEqual(client.serverErrors(), [], 'the server logged errors (runSafe fallbacks)');
  } finally {
    if (client.isRunning) await client.shutdown().catch(() => client.kill());
  }
}
