/**
 * The engine service: one instance per front end, findings per file, the agent-failure table,
 * the backup flow, what this user may not read, and the ShellCheck scheduler.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { AGENT_CODES, AGENT_FAILURES, agentCodeInfo, agentFailure, AgentFailureKind } from '../../server/src/engine/agentFailures';
import type { FileInfo, FileSystem } from '../../server/src/engine/fs/fileSystem';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { createEngine } from '../../server/src/engine/service/engine';
import type { ProgramRunner } from '../../server/src/engine/service/processes';
import { ShellCheckScheduler } from '../../server/src/engine/scripts/shellcheckScheduler';
import { VmRoot } from '../helpers/vmRoot';

const HOST_CONF = '/etc/azure/VMSnapshotPluginHost.conf';

describe('the agent-failure table', () => {
  it('names every code once, and the doc name of each sided row is its diagnostic code', () => {
    assert.deepEqual(AGENT_CODES, [0, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 313, 314, 316, 317]);
    for (const kind of Object.keys(AGENT_FAILURES) as AgentFailureKind[]) {
      for (const side of ['pre', 'post'] as const) {
        const failure = agentFailure(kind, side);
        const info = agentCodeInfo(failure.agentCode);
        if (info.docName && kind !== 'scriptTimeout' && kind !== 'runThreadCrash') assert.equal(failure.diagnostic, info.docName, `${kind}/${side}`);
      }
    }
    assert.deepEqual([agentFailure('scriptNotFound', 'pre').agentCode, agentFailure('scriptNotFound', 'post').agentCode], [302, 303]);
    assert.deepEqual([agentFailure('scriptFailed', 'pre').agentCode, agentFailure('scriptFailed', 'post').agentCode], [300, 301]);
    assert.ok(agentFailure('hostConfParse').stage < agentFailure('configNotFound').stage);
    assert.ok(agentFailure('configPermission').stage < agentFailure('configParse').stage);
  });
});

describe('one engine per front end, findings per file', () => {
  let vm: VmRoot;
  beforeEach(() => (vm = new VmRoot()));
  afterEach(() => vm.remove());

  it('lists every file it judged, with its findings, also the clean ones; a fixed host conf is listed empty', () => {
    const config = vm.writeValidSetup();
    vm.write(HOST_CONF, { content: '[pre_post\nnumberOfPlugins = 1\n', mode: 0o644 });
    const engine = createEngine();
    const broken = engine.analyzeText(require('node:fs').readFileSync(config, 'utf8'), { configPath: config });
    assert.equal(broken.outcome.code, 304);
    const host = broken.files.find((file) => file.kind === 'hostConf');
    assert.equal(host?.path, vm.local(HOST_CONF));
    assert.deepEqual(host?.diagnostics.map((d) => [d.code, d.file]), [['IncorrectPluginhostFile', vm.local(HOST_CONF)]]);
    assert.deepEqual(broken.files.map((file) => file.kind).sort(), ['config', 'hostConf', 'script', 'script']);
    // The scripts are listed with their own findings (a script that quiesces nothing gets advice), none an error.
    assert.ok(broken.files.filter((file) => file.kind === 'script').every((file) => file.diagnostics.every((d) => d.severity !== 'error' && d.file === file.path)));

    vm.write(HOST_CONF, { content: '[pre_post]\nnumberOfPlugins = 1\ntimeoutInSeconds = 900\n', mode: 0o644 });
    const fixed = engine.analyzeText(require('node:fs').readFileSync(config, 'utf8'), { configPath: config });
    assert.equal(fixed.outcome.code, 0);
    assert.deepEqual(fixed.files.find((file) => file.kind === 'hostConf')?.diagnostics, []);
    assert.equal(fixed.effective?.hostCapSeconds, 900);
  });

  it('two engines share nothing: each reads the files through its own file system', () => {
    const config = vm.writeValidSetup();
    let reads = 0;
    const counting: FileSystem = { ...nodeFileSystem, readFile: (p, max) => (reads++, nodeFileSystem.readFile(p, max)) };
    const text = require('node:fs').readFileSync(config, 'utf8') as string;
    const first = createEngine({ fileSystem: counting });
    first.analyzeText(text, { configPath: config });
    const afterFirst = reads;
    first.analyzeText(text, { configPath: config });
    assert.equal(reads, afterFirst, 'unchanged scripts are not read again by the same engine');
    createEngine({ fileSystem: counting }).analyzeText(text, { configPath: config });
    assert.ok(reads > afterFirst, 'a second engine has its own caches');
  });
});

describe('what this user may not read is never "not found"', () => {
  const fileInfo = (kind: FileInfo['kind'], mode = 0o700): FileInfo => ({ kind, mode, uid: 0, size: 10, mtimeMs: 1, ctimeMs: 1 });
  /** A VM whose /etc/azure this user may not enter: stat and read say "denied". */
  const deniedAzure: FileSystem = {
    stat: (p) => (p.startsWith('/vm/etc/azure/') ? { kind: 'denied', path: p } : p === '/vm/etc/azure' ? fileInfo('directory') : undefined),
    lstat: (p) => (p.startsWith('/vm/etc/azure/') ? { kind: 'denied', path: p } : undefined),
    readFile: (p) => ({ kind: 'denied', path: p }),
    readDirectory: (p) => ({ kind: 'denied', path: p }),
  };

  it('scripts and the host conf behind a denied folder: information, no agent failure', () => {
    const engine = createEngine({ fileSystem: deniedAzure, userName: 'alice' });
    const result = engine.analyzeText('{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"}', { root: '/vm', fileChecks: 'on' });
    assert.equal(result.outcome.code, 0);
    assert.equal(result.complete, false);
    assert.ok(!result.diagnostics.some((d) => d.code.endsWith('NotFound')), JSON.stringify(result.diagnostics.map((d) => d.code)));
    const denied = result.diagnostics.filter((d) => d.code === 'CannotReadAsThisUser');
    assert.deepEqual(denied.map((d) => d.file).sort(), ['/vm/etc/azure/VMSnapshotPluginHost.conf', '/vm/etc/azure/post.sh', '/vm/etc/azure/pre.sh', '/vm/etc/azure/workload.conf']);
    assert.ok(denied.every((d) => d.severity === 'information' && d.agentCode === undefined && /alice/.test(d.message)));
  });

  it('a config this user may not read: unreadable, not 305 or 316', () => {
    const analysis = createEngine({ fileSystem: deniedAzure }).analyzeFile('/vm/etc/azure/VMSnapshotScriptPluginConfig.json', { root: '/vm' });
    assert.ok('unreadable' in analysis);
    assert.deepEqual(analysis.diagnostics.map((d) => d.code), ['CannotReadAsThisUser']);
  });
});

describe('the backup flow after the checks (agent-config-files.md §5)', () => {
  let vm: VmRoot;
  beforeEach(() => (vm = new VmRoot()));
  afterEach(() => vm.remove());
  const predict = (config: object, options: { missingPre?: boolean; badPre?: string } = {}) => {
    const configPath = vm.writeValidSetup(config);
    if (options.missingPre) require('node:fs').rmSync(vm.local('/etc/azure/pre.sh'));
    if (options.badPre) vm.write('/etc/azure/pre.sh', { content: options.badPre, mode: 0o700 });
    const result = createEngine().analyzeFile(configPath, { root: vm.dir });
    assert.ok(!('unreadable' in result));
    return { code: result.outcome.code, ...result.backup };
  };

  it('scripts that exit 0: a snapshot, frozen as fsFreezeEnabled says, reported application-consistent', () => {
    assert.deepEqual(predict({}), { code: 0, snapshot: true, frozen: true, consistency: 'application', backupFails: false });
    assert.deepEqual(predict({ fsFreezeEnabled: false }), { code: 0, snapshot: true, frozen: false, consistency: 'application', backupFails: false });
  });

  it('a missing script: with continueBackupOnFailure a snapshot (unfrozen when the freeze is off) still called file-system consistent; without it no backup', () => {
    assert.deepEqual(predict({ fsFreezeEnabled: false, continueBackupOnFailure: true }, { missingPre: true }), { code: 302, snapshot: true, frozen: false, consistency: 'file-system', backupFails: false });
    assert.deepEqual(predict({ continueBackupOnFailure: false }, { missingPre: true }), { code: 302, snapshot: false, frozen: false, consistency: 'none', backupFails: true });
  });

  it('a pre-script dash fails: 300; with the freeze off no snapshot whatever continueBackupOnFailure says', () => {
    const crlf = '#!/bin/sh\r\nif true; then\r\n  exit 0\r\nfi\r\n';
    assert.deepEqual(predict({ fsFreezeEnabled: false, continueBackupOnFailure: true }, { badPre: crlf }), { code: 300, snapshot: false, frozen: false, consistency: 'none', backupFails: true });
    assert.deepEqual(predict({ continueBackupOnFailure: true }, { badPre: crlf }), { code: 300, snapshot: true, frozen: true, consistency: 'file-system', backupFails: false });
  });

  it('silent load failures keep the freeze on and report file-system consistent', () => {
    const configPath = vm.writeValidSetup();
    require('node:fs').writeFileSync(configPath, '{"preScriptLocation": "/etc/azure/pre.sh",}');
    const result = createEngine().analyzeFile(configPath, { root: vm.dir });
    assert.ok(!('unreadable' in result));
    assert.deepEqual({ code: result.outcome.code, ...result.backup }, { code: 305, snapshot: true, frozen: true, consistency: 'file-system', backupFails: false });
  });
});

describe('the ShellCheck scheduler', () => {
  const json = JSON.stringify({ comments: [{ line: 1, endLine: 1, column: 1, endColumn: 2, level: 'warning', code: 2034, message: 'unused' }] });
  const recording = (delayMs = 0) => {
    const calls: string[] = [];
    let running = 0;
    let peak = 0;
    const run: ProgramRunner = async (_file, _args, stdin) => {
      calls.push(stdin);
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      running--;
      return { stdout: json };
    };
    return { run, calls, peak: () => peak };
  };
  const noWait = { delay: () => Promise.resolve() };
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('runs ShellCheck once per distinct content, and gives each caller its own file', async () => {
    const fake = recording();
    const scheduler = new ShellCheckScheduler(fake.run, noWait);
    const [a, b] = await Promise.all([
      scheduler.check({ bytes: bytes('x=1\n'), shellcheckPath: 'sc', file: '/a.sh' }),
      scheduler.check({ bytes: bytes('x=1\n'), shellcheckPath: 'sc', file: '/b.sh' }),
    ]);
    assert.equal(fake.calls.length, 1);
    assert.deepEqual([a?.[0].file, b?.[0].file, a?.[0].code], ['/a.sh', '/b.sh', 'SC2034']);
  });

  it('keeps to its concurrency limit', async () => {
    const fake = recording(20);
    const scheduler = new ShellCheckScheduler(fake.run, noWait, { concurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, (_, i) => scheduler.check({ bytes: bytes(`x=${i}\n`), shellcheckPath: 'sc' })));
    assert.equal(fake.calls.length, 6);
    assert.equal(fake.peak(), 2);
  });

  it('a request superseded during the throttle, or cancelled, answers undefined and runs nothing', async () => {
    const fake = recording();
    let release!: () => void;
    const gate = { delay: () => new Promise<void>((resolve) => (release = resolve)) };
    const scheduler = new ShellCheckScheduler(fake.run, gate, { throttleMs: 250 });
    const older = scheduler.check({ bytes: bytes('x=1\n'), shellcheckPath: 'sc', key: 'doc' });
    const olderRelease = release;
    const newer = scheduler.check({ bytes: bytes('x=2\n'), shellcheckPath: 'sc', key: 'doc' });
    olderRelease();
    release();
    assert.equal(await older, undefined);
    assert.equal((await newer)?.[0].code, 'SC2034');
    assert.deepEqual(fake.calls, ['x=2\n']);
    const cancelled = scheduler.check({ bytes: bytes('x=3\n'), shellcheckPath: 'sc', token: { isCancellationRequested: true } });
    release();
    assert.equal(await cancelled, undefined);
    assert.equal(fake.calls.length, 1);
  });
});
