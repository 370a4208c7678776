// A language server started over stdio the way an editor starts one, instrumented for timing.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import { now } from './stats.mjs';
import { onServerCore } from './cpuPinning.mjs';

const require = createRequire(import.meta.url);
const protocol = require('vscode-languageserver-protocol/node');

/** Every wait ends: a server that never answers fails the benchmark instead of hanging it. */
const TIMEOUT_MS = 60_000;

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms waiting for ${what}`)), TIMEOUT_MS);
    }),
  ]);
}

export class LspSession {
  /**
   * @param {{ name: string, command: string[], pull: boolean, initializationOptions?: unknown,
   *   settings?: unknown, configurationSection?: string, cwd: string }} spec
   */
  static async start(spec) {
    const session = new LspSession(spec);
    await session.initialize();
    return session;
  }

  constructor(spec) {
    this.spec = spec;
    this.published = [];
    this.waiters = new Set();
    this.stderr = '';
  }

  async initialize() {
    const { spec } = this;
    const started = now();
    const [program, ...args] = onServerCore(spec.command);
    this.child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'], cwd: spec.cwd });
    this.child.stderr.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
    const connection = protocol.createProtocolConnection(new protocol.StreamMessageReader(this.child.stdout), new protocol.StreamMessageWriter(this.child.stdin));
    this.connection = connection;
    connection.onNotification(protocol.PublishDiagnosticsNotification.type, (params) => {
      this.published.push({ at: now(), params });
      for (const waiter of [...this.waiters]) waiter();
    });
    connection.onNotification(protocol.LogMessageNotification.type, () => undefined);
    connection.onNotification('vmsnapshot/outcome', () => undefined);
    connection.onRequest(protocol.ConfigurationRequest.type, (params) => params.items.map((item) => (item.section === spec.configurationSection ? spec.settings ?? {} : null)));
    connection.onRequest(protocol.RegistrationRequest.type, () => undefined);
    connection.onRequest(protocol.UnregistrationRequest.type, () => undefined);
    connection.onRequest(protocol.WorkDoneProgressCreateRequest.type, () => undefined);
    connection.onRequest(protocol.DiagnosticRefreshRequest.type, () => undefined);
    connection.listen();

    const capabilities = {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, ...(spec.pull ? { diagnostics: { refreshSupport: true } } : {}) },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: true },
        completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
        documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        publishDiagnostics: { versionSupport: true, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        ...(spec.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
      },
    };
    this.initializeResult = await withTimeout(
      connection.sendRequest(protocol.InitializeRequest.type, {
        processId: process.pid,
        rootUri: null,
        capabilities,
        initializationOptions: spec.initializationOptions,
        workspaceFolders: null,
      }),
      `${spec.name}: initialize`,
    );
    this.startupMs = now() - started;
    await connection.sendNotification(protocol.InitializedNotification.type, {});
    if (spec.settings !== undefined) {
      await connection.sendNotification(protocol.DidChangeConfigurationNotification.type, { settings: { [spec.configurationSection]: spec.settings } });
    }
  }

  /** Resolves with the first diagnostics published for `uri` after `index` in the log. */
  nextPublished(uri, index) {
    const find = () => this.published.slice(index).find((entry) => entry.params.uri === uri);
    return withTimeout(
      new Promise((resolve) => {
        const found = find();
        if (found) return resolve(found);
        const waiter = () => {
          const entry = find();
          if (!entry) return;
          this.waiters.delete(waiter);
          resolve(entry);
        };
        this.waiters.add(waiter);
      }),
      `${this.spec.name}: publishDiagnostics for ${uri}`,
    );
  }

  open(uri, languageId, text) {
    return this.connection.sendNotification(protocol.DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  change(uri, version, contentChanges) {
    return this.connection.sendNotification(protocol.DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri) {
    return this.connection.sendNotification(protocol.DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /**
   * A request no server knows, answered with an error once every message before it is handled:
   * whatever the last edit started in the meantime (work queued for after its answer) is done.
   */
  async settle() {
    await withTimeout(this.connection.sendRequest('vmsnapshotBench/settle').catch(() => undefined), `${this.spec.name}: settle`);
  }

  pullDiagnostics(uri) {
    return withTimeout(this.connection.sendRequest(protocol.DocumentDiagnosticRequest.type, { textDocument: { uri } }), `${this.spec.name}: textDocument/diagnostic`);
  }

  completion(uri, position) {
    return withTimeout(this.connection.sendRequest(protocol.CompletionRequest.type, { textDocument: { uri }, position }), `${this.spec.name}: completion`);
  }

  hover(uri, position) {
    return withTimeout(this.connection.sendRequest(protocol.HoverRequest.type, { textDocument: { uri }, position }), `${this.spec.name}: hover`);
  }

  formatting(uri, options) {
    return withTimeout(this.connection.sendRequest(protocol.DocumentFormattingRequest.type, { textDocument: { uri }, options }), `${this.spec.name}: formatting`);
  }

  documentSymbols(uri) {
    return withTimeout(this.connection.sendRequest(protocol.DocumentSymbolRequest.type, { textDocument: { uri } }), `${this.spec.name}: documentSymbol`);
  }

  /** Resident and peak resident memory of the server process, from /proc. */
  memory() {
    try {
      const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const field = (name) => Number(/^(\w+):\s+(\d+) kB$/m.exec(status.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '')?.[2] ?? NaN) * 1024;
      return { rss: field('VmRSS'), peak: field('VmHWM') };
    } catch {
      return { rss: NaN, peak: NaN };
    }
  }

  async shutdown() {
    try {
      await withTimeout(this.connection.sendRequest(protocol.ShutdownRequest.type), `${this.spec.name}: shutdown`);
      await this.connection.sendNotification(protocol.ExitNotification.type);
      await withTimeout(this.exited, `${this.spec.name}: exit`);
    } finally {
      this.connection.dispose();
      if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    }
  }
}
