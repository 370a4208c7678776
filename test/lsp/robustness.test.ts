/**
 * The server survives clients that misbehave: cancelled requests, changes for documents it
 * never saw, edits out of range or out of order, unknown methods and malformed parameters,
 * documents of megabytes or thousands of levels, and a stream of random edits. Results for a
 * version that has moved on are never reported as current.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import {
  CancellationTokenSource,
  CompletionRequest,
  ConfigurationRequest,
  Diagnostic,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  DocumentDiagnosticRequest,
  ErrorCodes,
  HoverRequest,
  LSPErrorCodes,
  Position,
  ResponseError,
} from 'vscode-languageserver-protocol/node';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { LspClient, StartOptions } from './lspClient';
import { mutatedConfig, probeOffsets } from '../unit/propertyGenerators';

const CONFIG_NAME = 'VMSnapshotScriptPluginConfig.json';
const GOOD = `{
  "pluginName": "ScriptRunner",
  "preScriptLocation": "/etc/azure/pre-script.sh",
  "postScriptLocation": "/etc/azure/post-script.sh",
  "timeoutInSeconds": 30
}
`;
const BROKEN = '{\n  "preScriptLocation": "/etc/azure/pre-script.sh",\n  "postScriptLocation": \n';

let vm: VmRoot;
let configUri: string;

before(() => {
  vm = new VmRoot();
  vm.writeScripts('/etc/azure/pre-script.sh', '/etc/azure/post-script.sh');
  vm.write(CONFIG_PATH, { content: GOOD });
  configUri = vm.uri(CONFIG_PATH);
});

after(() => vm.remove());

/** Runs `body` against a fresh server; unless `loggedErrors` allows it, the server must log no error. */
async function withClient(options: StartOptions, body: (client: LspClient) => Promise<void>, loggedErrors: (errors: string[]) => void = (errors) => assert.deepEqual(errors, [], 'the server logged no error')): Promise<void> {
  const client = await LspClient.start(options);
  try {
    await body(client);
    assert.ok(client.isRunning, 'the server is still running');
    loggedErrors(client.serverErrors());
    assert.equal(await client.shutdown(), 0);
  } finally {
    await client.kill();
  }
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => diagnostic.code);
const rules = (diagnostics: Diagnostic[]) => diagnostics.map((diagnostic) => (diagnostic.data as { rule?: string } | undefined)?.rule);

/** A request that may be cancelled settles either with a result or with RequestCancelled. */
async function settles(promise: Promise<unknown>): Promise<'answered' | 'cancelled'> {
  try {
    await promise;
    return 'answered';
  } catch (error) {
    assert.ok(error instanceof ResponseError, `expected a ResponseError, got ${String(error)}`);
    assert.equal(error.code, LSPErrorCodes.RequestCancelled, `unexpected error ${error.code}: ${error.message}`);
    return 'cancelled';
  }
}

describe('robustness: cancellation', () => {
  test('every cancelled request settles, and the server answers afterwards', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const pending: Promise<'answered' | 'cancelled'>[] = [];
      for (let i = 0; i < 200; i++) {
        const source = new CancellationTokenSource();
        const position = Position.create(i % 6, i % 20);
        const params = { textDocument: { uri: configUri }, position };
        const request: Promise<unknown> = i % 2 ? client.connection.sendRequest(HoverRequest.type, params, source.token) : client.connection.sendRequest(CompletionRequest.type, params, source.token);
        pending.push(settles(request));
        if (i % 3 !== 2) source.cancel();
      }
      const outcomes = await client.withTimeout(Promise.all(pending), 'the answers to 200 partly cancelled requests');
      assert.equal(outcomes.length, 200);
      const diagnostics = await client.pullDiagnostics(configUri);
      assert.deepEqual(codes(diagnostics).filter((code) => code === 'IncorrectJSONConfigFile'), []);
      assert.ok(await client.hover(configUri, Position.create(4, 5)), 'hover still works');
    });
  });

  test('a cancelled pull for diagnostics settles and a new one is answered', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, BROKEN);
      const source = new CancellationTokenSource();
      const first = settles(client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: configUri } }, source.token));
      source.cancel();
      await client.withTimeout(first, 'the cancelled diagnostic pull');
      assert.ok(codes(await client.pullDiagnostics(configUri)).includes('IncorrectJSONConfigFile'));
    });
  });
});

describe('robustness: documents the server does not expect', () => {
  test('changes, saves and closes for documents never opened are ignored', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      const ghost = vm.uri(`/etc/azure/ghost/${CONFIG_NAME}`);
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: ghost, version: 7 }, contentChanges: [{ text: BROKEN }] });
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: ghost, version: 8 },
        contentChanges: [{ range: { start: { line: 3, character: 1 }, end: { line: 9, character: 0 } }, text: 'x' }],
      });
      await client.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: ghost } });
      await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: ghost } });
      assert.equal(await client.hover(ghost, Position.create(0, 0)), null);
      // The server still serves a real document.
      const mark = client.mark();
      await client.open(configUri, GOOD);
      await client.waitForDiagnostics(configUri, () => true, mark);
    });
  });

  test('opening the same document twice keeps the newest text', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      await client.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: configUri, languageId: 'vmsnapshot-config', version: 1, text: BROKEN } });
      assert.ok(codes(await client.pullDiagnostics(configUri)).includes('IncorrectJSONConfigFile'));
    });
  });

  test('unknown methods get MethodNotFound; unknown notifications are ignored', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await assert.rejects(client.request('vmsnapshot/doesNotExist', {}), (error: unknown) => error instanceof ResponseError && error.code === ErrorCodes.MethodNotFound);
      await client.connection.sendNotification('vmsnapshot/doesNotExist', { anything: [1, 2, 3] });
      await client.connection.sendNotification('$/somethingOptional', {});
      await client.open(configUri, GOOD);
      assert.ok(await client.hover(configUri, Position.create(4, 5)));
    });
  });

  test('malformed positions and parameters are answered, not crashed on', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      for (const position of [
        { line: -1, character: -1 },
        { line: 2 ** 31, character: 2 ** 31 },
        { line: 1.5, character: 0.25 },
        { line: 0, character: Number.MAX_SAFE_INTEGER },
      ]) {
        await client.hover(configUri, position as Position);
        await client.completion(configUri, position as Position);
      }
      // Missing fields: each gets an answer (a result or an error response), never silence.
      for (const [method, params] of [
        ['textDocument/hover', { textDocument: {} }],
        ['textDocument/completion', {}],
        ['textDocument/definition', { textDocument: { uri: 42 }, position: null }],
        ['textDocument/codeAction', { textDocument: { uri: configUri }, range: null, context: null }],
        ['textDocument/diagnostic', { textDocument: null }],
        ['vmsnapshot/predictedRun', null],
      ] as const) {
        await client.request(method, params).catch((error: unknown) => assert.ok(error instanceof ResponseError, `${method}: ${String(error)}`));
      }
      assert.ok(await client.hover(configUri, Position.create(4, 5)));
    }, (errors) => {
      // Parameters that break the protocol may be logged (runSafe's habit), but only as handled failures.
      for (const error of errors) assert.match(error, /^\w+ failed: /);
    });
  });
});

describe('robustness: versions', () => {
  test('a burst of edits: pushed diagnostics only move forward, and the last matches the last text', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      const mark = client.mark();
      await client.open(configUri, GOOD);
      let version = 1;
      for (let i = 0; i < 40; i++) version = await client.change(configUri, i % 2 === 0 ? BROKEN : GOOD.replace('30', String(31 + i)));
      version = await client.change(configUri, BROKEN);
      const last = await client.waitForDiagnostics(configUri, (params) => params.version === version, mark);
      assert.ok(codes(last.diagnostics).includes('IncorrectJSONConfigFile'));
      // Two round trips: anything the server still had queued has been sent by now.
      await client.hover(configUri, Position.create(0, 0));
      await client.hover(configUri, Position.create(0, 0));
      const published = client.diagnostics.filter((entry) => entry.seq > mark && entry.value.uri === configUri).map((entry) => entry.value.version);
      for (let i = 1; i < published.length; i++) assert.ok((published[i] ?? 0) > (published[i - 1] ?? 0), `versions published in order: ${published.join(', ')}`);
      assert.equal(published.at(-1), version);
    });
  });

  test('changes with a stale or repeated version do not crash the server; it answers for the text it holds', async () => {
    await withClient({ pullDiagnostics: false }, async (client) => {
      await client.open(configUri, GOOD);
      const send = (version: number, text: string) => client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: configUri, version }, contentChanges: [{ text }] });
      await send(5, BROKEN);
      await send(3, GOOD);
      await send(3, GOOD.replace('30', '31'));
      const mark = client.mark();
      await send(4, BROKEN);
      const published = await client.waitForDiagnostics(configUri, () => true, mark);
      assert.equal(published.version, 4);
      assert.ok(codes(published.diagnostics).includes('IncorrectJSONConfigFile'));
    });
  });

  test('an edit range past the end of the text is clamped, not fatal', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      await client.connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: configUri, version: 2 },
        contentChanges: [
          { range: { start: { line: 400, character: 0 }, end: { line: 900, character: 9 } }, text: '\n// tail' },
          { range: { start: { line: 2, character: 500 }, end: { line: 1, character: 0 } }, text: '' },
        ],
      });
      const diagnostics = await client.pullDiagnostics(configUri);
      assert.ok(codes(diagnostics).includes('IncorrectJSONConfigFile'), 'the comment that was appended is reported');
    });
  });

  test('a pull whose document changed while its settings were fetched never reports the old version as clean', async () => {
    await withClient({ pullDiagnostics: true, configuration: true }, async (client) => {
      // Hold the server's workspace/configuration request until the document has moved on.
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let asked!: () => void;
      const settingsRequested = new Promise<void>((resolve) => (asked = resolve));
      client.connection.onRequest(ConfigurationRequest.type, async (params) => {
        asked();
        await gate;
        return params.items.map(() => ({}));
      });
      await client.open(configUri, GOOD);
      const pull = client.connection.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri: configUri } });
      await client.withTimeout(settingsRequested, 'the workspace/configuration request');
      await client.change(configUri, BROKEN);
      release();
      let report: Awaited<typeof pull> | undefined;
      try {
        report = await client.withTimeout(pull, 'the raced diagnostic pull');
      } catch (error) {
        // Cancelling with ServerCancelled (the client then pulls again) is a correct answer too.
        assert.ok(error instanceof ResponseError && error.code === LSPErrorCodes.ServerCancelled, `unexpected error ${String(error)}`);
      }
      if (report) {
        assert.equal(report.kind, 'full');
        const items = report.kind === 'full' ? report.items : [];
        assert.ok(codes(items).includes('IncorrectJSONConfigFile'), `the raced pull answered ${JSON.stringify(codes(items))} for a broken document: an empty report for a stale version hides the errors until the next edit`);
      }
      assert.ok(codes(await client.pullDiagnostics(configUri)).includes('IncorrectJSONConfigFile'));
    });
  });
});

describe('robustness: hostile documents over LSP', () => {
  test('a 5 MB document and one nested 10,000 deep get one clear diagnostic each, quickly', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      const huge = `{"preScriptLocation": "/etc/azure/pre-script.sh", "postScriptLocation": "/etc/azure/post-script.sh", "preScriptParams": [${'"0123456789abcdef",'.repeat(280_000)}"end"]}`;
      await client.open(configUri, huge);
      let started = performance.now();
      const big = await client.pullDiagnostics(configUri);
      const bigMs = performance.now() - started;
      assert.deepEqual(rules(big), ['tooLarge']);
      assert.match(String(big[0].message), /too large/);
      assert.ok(bigMs < 5000, `5 MB document answered in ${bigMs.toFixed(0)} ms`);
      await client.completion(configUri, Position.create(0, 100));
      await client.hover(configUri, Position.create(0, 5_000_000));

      await client.change(configUri, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000));
      started = performance.now();
      const deep = await client.pullDiagnostics(configUri);
      const deepMs = performance.now() - started;
      assert.deepEqual(rules(deep), ['tooDeep']);
      assert.ok(deepMs < 5000, `deep document answered in ${deepMs.toFixed(0)} ms`);
      await client.completion(configUri, Position.create(0, 30_000));
      await client.hover(configUri, Position.create(0, 30_000));
    });
  });
});

describe('robustness: random edits over the wire', () => {
  test('200 mutated configs in a row: every request is answered and nothing is logged as an error', async () => {
    await withClient({ pullDiagnostics: true }, async (client) => {
      await client.open(configUri, GOOD);
      const lineAndColumn = (text: string, offset: number): Position => {
        const before = text.slice(0, offset % (text.length + 1)).split('\n');
        return Position.create(before.length - 1, before.at(-1)!.length);
      };
      await fc.assert(
        fc.asyncProperty(mutatedConfig, probeOffsets, async (text, offsets) => {
          await client.change(configUri, text);
          assert.ok(Array.isArray(await client.pullDiagnostics(configUri)));
          for (const offset of offsets) {
            const position = lineAndColumn(text, offset);
            await client.completion(configUri, position);
            await client.hover(configUri, position);
            await client.request('textDocument/definition', { textDocument: { uri: configUri }, position });
          }
          await client.codeLens(configUri);
          await client.request('textDocument/documentLink', { textDocument: { uri: configUri } });
        }),
        { numRuns: 200 },
      );
    });
  });
});
