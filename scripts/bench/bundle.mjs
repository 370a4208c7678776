// Bundle figures: the .vsix as `vsce package` builds it, the bundled server and client, and
// what loading the client bundle costs (the part of activation outside VS Code's own work).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './documents.mjs';
import { kib, ms, summarize, table } from './stats.mjs';

function packageVsix() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-vsix-'));
  const out = path.join(folder, 'bench.vsix');
  const vsce = path.join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '-o', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  try {
    if (result.status !== 0) return { error: (result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ') };
    return { size: fs.statSync(out).size };
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Loads dist/client.js in a fresh Node with a stand-in `vscode` module and times the load:
 * module evaluation is what a bundle adds to activation; starting the server is measured by
 * the LSP part (start-up to initialize).
 */
function clientLoadTimes(runs) {
  const probe = `
    const Module = require('module');
    const stub = () => new Proxy(function () {}, { get: (_, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : stub()), construct: () => stub(), apply: () => stub() });
    const resolve = Module._resolveFilename;
    Module._resolveFilename = function (request, ...rest) { return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest); };
    require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: stub() };
    const started = performance.now();
    require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'client.js'))});
    process.stdout.write(String(performance.now() - started));`;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const result = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    if (result.status !== 0) return { error: result.stderr.trim().split('\n').slice(-2).join(' ') };
    times.push(Number(result.stdout));
  }
  return { times };
}

export function runBundleBenchmark() {
  const size = (file) => fs.statSync(path.join(REPO_ROOT, 'dist', file)).size;
  return { vsix: packageVsix(), server: size('server.js'), client: size('client.js'), clientLoad: clientLoadTimes(5) };
}

export function reportBundle(result, print) {
  print('Bundle');
  const load = result.clientLoad.times ? summarize(result.clientLoad.times).p50 : NaN;
  print(table(['item', 'size / time'], [
    ['VSIX (vsce package --no-dependencies)', result.vsix.size ? `${kib(result.vsix.size)} (${result.vsix.size.toLocaleString('en')} B)` : `failed: ${result.vsix.error}`],
    ['dist/server.js (server + CLI)', kib(result.server)],
    ['dist/client.js', kib(result.client)],
    ['client bundle load, median of 5 (activation proxy)', result.clientLoad.times ? ms(load) : `failed: ${result.clientLoad.error}`],
  ]));
  print('Activation inside the e2e host is not measured here: that needs code-server and Chromium (npm run test:e2e).');
  return { vsix: result.vsix.size ?? NaN };
}
