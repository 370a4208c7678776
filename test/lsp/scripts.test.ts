import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DefinitionRequest, DidChangeWatchedFilesNotification, DocumentLinkRequest, ExecuteCommandRequest, FileChangeType, type Location } from 'vscode-languageserver-protocol/node';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { fileUri, LspClient } from './lspClient';

/** A workspace laid out as `<ws>/etc/azure/…`: the config names pre.sh and post.sh, not helper.sh. */
let workspace: VmRoot;
let configPath: string;
let prePath: string;
let helperPath: string;

// Line 3 uses [[ ]], which dash does not know: `if` then takes its else branch.
const BROKEN_PRE = '#!/bin/bash\r\nexec >>/var/log/pre.log 2>&1\r\nif [[ -f /etc/hosts ]]; then\r\n  sync\r\nfi\r\n';
const GOOD_POST = '#!/bin/sh\nexec >>/var/log/post.log 2>&1\nsync\n';
const BASH_HELPER = '#!/bin/bash\nnames=(a b)\necho "${names[@]}"\n';
const CONFIG = { preScriptLocation: '/etc/azure/pre.sh', postScriptLocation: '/etc/azure/post.sh', timeoutInSeconds: 30 };

before(() => {
  workspace = new VmRoot();
  // 644 as an editor saves them: a workspace copy's modes are not judged.
  configPath = workspace.write(CONFIG_PATH, { content: JSON.stringify(CONFIG, null, 2), mode: 0o644 });
  prePath = workspace.write('/etc/azure/pre.sh', { content: BROKEN_PRE, mode: 0o644 });
  workspace.write('/etc/azure/post.sh', { content: GOOD_POST, mode: 0o644 });
  helperPath = workspace.write('/etc/azure/helper.sh', { content: BASH_HELPER, mode: 0o644 });
});

after(() => workspace.remove());

async function startInWorkspace(): Promise<LspClient> {
  const client = await LspClient.start({ pullDiagnostics: true, workspaceFolders: [workspace.dir], settings: { shellcheck: { enable: false } } });
  // The server learns which scripts the agent runs by reading the workspace's configs.
  await client.waitForRefresh(0);
  return client;
}

describe('scripts named by a config, over LSP', () => {
  it('a script the config names gets the dash checks on its own document, at the breaking lines', async () => {
    const client = await startInWorkspace();
    try {
      await client.open(fileUri(prePath), BROKEN_PRE, 'shellscript');
      const diagnostics = await client.pullDiagnostics(fileUri(prePath));
      const codes = diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.range.start.line}`);
      assert.ok(codes.includes('ScriptCrlf@0'), codes.join(' '));
      assert.ok(codes.includes('ScriptNotPosix@2'), codes.join(' '));
      assert.ok(codes.includes('ShebangIgnored@0'), codes.join(' '));
    } finally {
      await client.shutdown();
    }
  });

  it('a bash helper that no config names is left alone', async () => {
    const client = await startInWorkspace();
    try {
      await client.open(fileUri(helperPath), BASH_HELPER, 'shellscript');
      assert.deepEqual(await client.pullDiagnostics(fileUri(helperPath)), []);
    } finally {
      await client.shutdown();
    }
  });

  it('the config says its pre-script breaks under sh, links to it, and updates when the file is fixed on disk', async () => {
    const client = await startInWorkspace();
    try {
      const uri = fileUri(configPath);
      await client.open(uri, fs.readFileSync(configPath, 'utf8'));
      const before = await client.pullDiagnostics(uri);
      const summary = before.find((diagnostic) => diagnostic.code === 'Pre-ScriptExecutionFailed');
      assert.ok(summary, JSON.stringify(before));
      assert.match(String(summary.message), /pre\.sh/);

      const links = (await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } })) ?? [];
      assert.deepEqual(links.map((link) => link.target).sort(), [fileUri(prePath), workspace.uri('/etc/azure/post.sh')].sort());
      const line = fs.readFileSync(configPath, 'utf8').split('\n').findIndex((text) => text.includes('preScriptLocation'));
      const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position: { line, character: 30 } })) as Location | null;
      assert.equal(definition?.uri, fileUri(prePath));

      fs.writeFileSync(prePath, GOOD_POST);
      const mark = client.mark();
      await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: fileUri(prePath), type: FileChangeType.Changed }] });
      await client.waitForRefresh(mark);
      const afterFix = await client.pullDiagnostics(uri);
      assert.equal(afterFix.find((diagnostic) => diagnostic.code === 'Pre-ScriptExecutionFailed'), undefined);
    } finally {
      fs.writeFileSync(prePath, BROKEN_PRE);
      await client.shutdown();
    }
  });

  it('"Convert to LF line endings" is the client\'s end-of-line command, and LF text leaves the script without ScriptCrlf', async () => {
    const client = await startInWorkspace();
    try {
      const uri = fileUri(prePath);
      await client.open(uri, BROKEN_PRE, 'shellscript');
      const diagnostics = await client.pullDiagnostics(uri);
      const crlf = diagnostics.find((diagnostic) => diagnostic.code === 'ScriptCrlf');
      assert.ok(crlf);
      const actions = await client.codeActions({ textDocument: { uri }, range: crlf.range, context: { diagnostics: [crlf] } });
      const convert = actions.find((action) => action.diagnostics?.[0]?.code === 'ScriptCrlf');
      // VS Code keeps a document's line endings whatever text an edit inserts: only the client can convert.
      assert.equal(convert?.edit, undefined, JSON.stringify(actions));
      assert.deepEqual(convert?.command, { title: 'Convert to LF line endings', command: 'vmsnapshot.convertToLf', arguments: [uri] });
      await client.change(uri, BROKEN_PRE.replace(/\r\n/g, '\n'));
      const after = await client.pullDiagnostics(uri);
      assert.equal(after.find((diagnostic) => diagnostic.code === 'ScriptCrlf'), undefined);
      assert.ok(after.some((diagnostic) => diagnostic.code === 'ScriptNotPosix'), 'the other findings stay');
    } finally {
      await client.shutdown();
    }
  });
});

describe('fixes that change files, over LSP', () => {
  it('creates a missing script from the template, mode 700, and never over an existing file', async () => {
    const vm = new VmRoot();
    try {
      const config = vm.write(CONFIG_PATH, { content: JSON.stringify(CONFIG), mode: 0o644 });
      vm.write('/etc/azure/post.sh', { content: GOOD_POST, mode: 0o644 });
      const client = await LspClient.start({ pullDiagnostics: true, settings: { shellcheck: { enable: false } } });
      try {
        const uri = fileUri(config);
        await client.open(uri, fs.readFileSync(config, 'utf8'));
        const notFound = (await client.pullDiagnostics(uri)).find((diagnostic) => diagnostic.code === 'Pre-ScriptNotFound');
        assert.ok(notFound);
        const create = (await client.codeActions({ textDocument: { uri }, range: notFound.range, context: { diagnostics: [notFound] } })).find((action) => action.command?.command === 'vmsnapshot.createScript');
        assert.ok(create?.command);
        await client.connection.sendRequest(ExecuteCommandRequest.type, { command: create.command.command, arguments: create.command.arguments });
        const created = vm.local('/etc/azure/pre.sh');
        assert.equal(fs.statSync(created).mode & 0o777, 0o700);
        assert.deepEqual(client.shownDocuments.map((shown) => shown.uri), [fileUri(created)]);
        const diagnostics = await client.pullDiagnostics(uri);
        assert.deepEqual(diagnostics.filter((diagnostic) => diagnostic.severity === 1), [], 'the engine accepts the new script');

        fs.writeFileSync(created, 'precious\n');
        await client.connection.sendRequest(ExecuteCommandRequest.type, { command: create.command.command, arguments: create.command.arguments });
        assert.equal(fs.readFileSync(created, 'utf8'), 'precious\n', 'an existing file is never overwritten');
      } finally {
        await client.shutdown();
      }
    } finally {
      vm.remove();
    }
  });

  it('sets a script\'s mode only after the user confirms', { skip: process.getuid?.() === 0 ? false : 'files must be root\'s for the agent; run as root' }, async () => {
    const vm = new VmRoot();
    try {
      const config = vm.write(CONFIG_PATH, { content: JSON.stringify(CONFIG) });
      vm.writeAll({ '/etc/azure/pre.sh': { content: GOOD_POST, mode: 0o755 }, '/etc/azure/post.sh': { content: GOOD_POST, mode: 0o700 } });
      const pre = vm.local('/etc/azure/pre.sh');
      // `root` makes the folder stand for the VM's /, where modes are real and judged.
      const client = await LspClient.start({ pullDiagnostics: true, settings: { root: vm.dir, shellcheck: { enable: false } } });
      try {
        const uri = fileUri(config);
        await client.open(uri, fs.readFileSync(config, 'utf8'));
        const permission = (await client.pullDiagnostics(uri)).find((diagnostic) => diagnostic.code === 'InsufficientPermissionforPre-Script');
        assert.ok(permission);
        const fix = (await client.codeActions({ textDocument: { uri }, range: permission.range, context: { diagnostics: [permission] } })).find((action) => action.command?.command === 'vmsnapshot.applyFileFix');
        assert.ok(fix?.command);

        client.answerMessage = () => null; // the user dismisses the question
        await client.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command.command, arguments: fix.command.arguments });
        assert.equal(fs.statSync(pre).mode & 0o777, 0o755);

        client.answerMessage = (params) => params.actions?.[0] ?? null; // "Change"
        await client.connection.sendRequest(ExecuteCommandRequest.type, { command: fix.command.command, arguments: fix.command.arguments });
        assert.equal(fs.statSync(pre).mode & 0o777, 0o700);
        assert.equal(client.messageRequests.length, 2);
        const after = await client.pullDiagnostics(uri);
        assert.equal(after.find((diagnostic) => diagnostic.code === 'InsufficientPermissionforPre-Script'), undefined);
      } finally {
        await client.shutdown();
      }
    } finally {
      vm.remove();
    }
  });
});
