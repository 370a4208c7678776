/**
 * `npm run test:e2e`: the mocha suites inside a real VS Code extension host.
 *
 * For each session (English, then Portuguese): install the packaged .vsix into a fresh
 * code-server on 127.0.0.1, open the fixture workspace in headless Chromium with the workbench's
 * test payload, and wait for the extension host to report the suites' exit code. The page is
 * also the test's eyes and hands: log markers ask it for screenshots and for answers to prompts.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium, Page } from 'playwright-core';
import {
  e2eSource, extensionId, harnessPath, outputMarker, parseResult, repoRoot, prepareWorkspace, requireBuilt, scratch, screenshotDir, screenshotMarker,
  Session, sessions, SuiteResult, testEnvironment, testsEntry, uiMarker, vsixPath, writeUserSettings,
} from './common';
import { codeServerEntry, ensureHost, node24 } from './host';
import { answerPrompts, UiRequest, WorkbenchLog } from './ui';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Generous: a cold extension host on a loaded 2-core CI machine; a hang still ends the run (E2E_SESSION_TIMEOUT_S to change). */
const sessionTimeoutMs = Number(process.env.E2E_SESSION_TIMEOUT_S ?? 300) * 1000;

interface Server {
  process: ChildProcess;
  url: string;
}

function sessionDirs(session: Session) {
  const base = path.join(scratch, session.name);
  return { base, userData: path.join(base, 'user-data'), extensions: path.join(base, 'extensions'), xdg: path.join(base, 'xdg'), signals: path.join(base, 'signals') };
}

/** Both code-server and Chromium write into XDG folders; keep them out of the home folder. */
function xdgEnv(xdg: string): NodeJS.ProcessEnv {
  return { XDG_CONFIG_HOME: path.join(xdg, 'config'), XDG_DATA_HOME: path.join(xdg, 'data'), XDG_CACHE_HOME: path.join(xdg, 'cache') };
}

function serverArgs(session: Session, dirs: ReturnType<typeof sessionDirs>): string[] {
  return [
    codeServerEntry, '--config', '/dev/null', '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions,
    ...(session.locale ? ['--locale', session.locale] : []),
  ];
}

/**
 * VS Code shows a display language only when a language pack for it is installed; the real
 * pt-br pack comes from a marketplace CI cannot reach, so a minimal one is packaged here.
 */
function packageLanguagePack(): string {
  const output = path.join(scratch, 'language-pack-pt-br.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const result = spawnSync(process.execPath, [vsce, 'package', '--skip-license', '--allow-missing-repository', '-o', output], {
    cwd: path.join(e2eSource, 'langpack'), encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`packaging the test language pack failed:\n${result.stdout}${result.stderr}`);
  return output;
}

/** What users get: the .vsix, installed by the host's own installer (which also checks engines.vscode). */
function installExtensions(session: Session, dirs: ReturnType<typeof sessionDirs>): void {
  const vsixes = [vsixPath, ...(session.locale ? [packageLanguagePack()] : [])];
  const result = spawnSync(node24, [...serverArgs(session, dirs), ...vsixes.flatMap((vsix) => ['--install-extension', vsix]), '--force'], {
    env: { ...process.env, ...xdgEnv(dirs.xdg) }, encoding: 'utf8',
  });
  const installed = fs.existsSync(dirs.extensions) && fs.readdirSync(dirs.extensions).some((d) => d.startsWith(`${extensionId}-`));
  if (result.status !== 0 || !installed) throw new Error(`installing the .vsix failed:\n${result.stdout}${result.stderr}`);
  if (session.locale) registerLanguagePack(session.locale, dirs);
}

/**
 * The server picks the display language from `languagepacks.json` before any window connects,
 * but only a running server writes that file, after the first window. Write what it would write.
 */
function registerLanguagePack(locale: string, dirs: ReturnType<typeof sessionDirs>): void {
  const manifest = JSON.parse(fs.readFileSync(path.join(e2eSource, 'langpack', 'package.json'), 'utf8')) as { name: string; publisher: string; version: string };
  const id = `${manifest.publisher}.${manifest.name}`;
  const folder = path.join(dirs.extensions, `${id}-${manifest.version}`);
  const languagePacks = {
    [locale]: {
      hash: crypto.createHash('md5').update(id).update(manifest.version).digest('hex'),
      extensions: [{ extensionIdentifier: { id }, version: manifest.version }],
      translations: { vscode: path.join(folder, 'translations', 'main.i18n.json') },
      label: locale,
    },
  };
  fs.writeFileSync(path.join(dirs.userData, 'languagepacks.json'), JSON.stringify(languagePacks));
}

/** Process groups still running, killed on any way out (an error, Ctrl-C, CI's SIGTERM). */
const liveGroups = new Set<number>();
function killGroupsNow(): void {
  for (const pid of liveGroups) signalGroup(pid, 'SIGKILL');
  liveGroups.clear();
}
process.on('exit', killGroupsNow);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => { killGroupsNow(); process.exit(130); });
}

/** Starts code-server in its own process group (it forks the extension host and our language server). */
function startServer(session: Session, dirs: ReturnType<typeof sessionDirs>): Promise<Server> {
  const child = spawn(node24, [...serverArgs(session, dirs), '--bind-addr', '127.0.0.1:0', '--vscode-option', 'enable-smoke-test-driver'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...xdgEnv(dirs.xdg), ...testEnvironment(session, dirs.signals) },
  });
  if (child.pid !== undefined) liveGroups.add(child.pid);
  const log = fs.createWriteStream(path.join(dirs.base, 'code-server.log'));
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  return new Promise((resolve, reject) => {
    let seen = '';
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${seen}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (match) resolve({ process: child, url: match[1] });
    });
  });
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* the group is gone */ }
}

/** Kills the whole group: killing the parent alone leaves the extension host and language server behind. */
async function stopServer(server: Server): Promise<void> {
  const pid = server.process.pid;
  if (pid === undefined) return;
  if (server.process.exitCode === null && server.process.signalCode === null) {
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    signalGroup(pid, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  }
  // Whatever outlived the leader in its group goes too.
  signalGroup(pid, 'SIGKILL');
  liveGroups.delete(pid);
}

function payloadUrl(server: Server, workspace: string): string {
  const authority = new URL(server.url).host;
  const remote = (p: string) => `vscode-remote://${authority}${p}`;
  const payload = [['extensionDevelopmentPath', remote(harnessPath)], ['extensionTestsPath', remote(testsEntry)]];
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function takeScreenshot(page: Page, request: string): Promise<void> {
  const { name, selector } = JSON.parse(request) as { name: string; selector?: string };
  const file = path.join(screenshotDir, `${name}.png`);
  try {
    if (selector) await page.waitForSelector(selector, { state: 'visible', timeout: 15_000 });
    // Written under another name first: the test waits for the final name to appear.
    await page.screenshot({ path: `${file}.tmp.png` });
    fs.renameSync(`${file}.tmp.png`, file);
  } catch (error) {
    // The waiting test fails with this message instead of a time-out.
    fs.writeFileSync(`${file}.error`, error instanceof Error ? error.message : String(error));
    await page.screenshot({ path: path.join(screenshotDir, `${name}.failed.png`) }).catch(() => undefined);
  }
}

/** Answers a test's prompts and tells it the outcome through a file in its signal folder. */
async function answerAndSignal(page: Page, session: Session, request: UiRequest, log: WorkbenchLog): Promise<void> {
  const signal = path.join(sessionDirs(session).signals, request.id);
  try {
    await answerPrompts(page, request, log, { screenshotDir });
    fs.writeFileSync(`${signal}.done`, '');
  } catch (error) {
    await page.screenshot({ path: path.join(screenshotDir, `${request.id}.failed.png`) }).catch(() => undefined);
    fs.writeFileSync(`${signal}.error`, error instanceof Error ? error.message : String(error));
  }
}

async function runSession(session: Session): Promise<SuiteResult> {
  const dirs = sessionDirs(session);
  fs.rmSync(dirs.base, { recursive: true, force: true });
  fs.mkdirSync(dirs.signals, { recursive: true });
  writeUserSettings(path.join(dirs.userData, 'User'));
  const workspace = prepareWorkspace(session);
  installExtensions(session, dirs);

  const server = await startServer(session, dirs);
  try {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      env: { ...process.env, ...xdgEnv(dirs.xdg) },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', ...(session.locale ? [`--lang=${session.locale}`] : [])],
    });
    try {
      return await driveWorkbench(session, server, workspace, await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: session.locale }));
    } finally {
      await browser.close();
    }
  } finally {
    await stopServer(server);
  }
}

async function driveWorkbench(session: Session, server: Server, workspace: string, page: Page): Promise<SuiteResult> {
  let result: SuiteResult | undefined;
  const exitCode = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`session ${session.name} did not finish in ${sessionTimeoutMs / 1000} s`)), sessionTimeoutMs);
    void page.exposeFunction('codeAutomationExit', (code: number) => { clearTimeout(timer); resolve(code); });
  });
  // Requests from the tests are served one at a time, in order, so that a test that waits
  // for a screenshot file or a prompt answer waits for exactly its own request.
  let queue = Promise.resolve();
  // The workbench's whole log goes to a file; only the suites' own output goes to the console.
  const workbenchLog = fs.createWriteStream(path.join(sessionDirs(session).base, 'workbench.log'));
  const listeners = new Set<() => void>();
  const log: WorkbenchLog = { lines: [], onLine: (listener) => { listeners.add(listener); return () => listeners.delete(listener); } };
  await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
    const line = format(...args);
    workbenchLog.write(`${type}: ${line}\n`);
    log.lines.push(line);
    for (const listener of [...listeners]) listener();
    result = parseResult(line) ?? result;
    const shot = line.indexOf(screenshotMarker);
    const ui = line.indexOf(uiMarker);
    const out = line.indexOf(outputMarker);
    if (shot >= 0) queue = queue.then(() => takeScreenshot(page, line.slice(shot + screenshotMarker.length))).catch(report);
    else if (ui >= 0) queue = queue.then(() => answerAndSignal(page, session, JSON.parse(line.slice(ui + uiMarker.length)) as UiRequest, log));
    else if (out >= 0) console.log(`[${session.name}] ${line.slice(out + outputMarker.length)}`);
  });
  fs.mkdirSync(screenshotDir, { recursive: true });
  // A loaded 2-core machine can take more than playwright's default 30 s to load the workbench.
  await page.goto(payloadUrl(server, workspace), { timeout: 180_000 });
  const code = await exitCode;
  workbenchLog.end();
  if (!result) throw new Error(`session ${session.name}: the extension host exited (${code}) without a result; see ${path.relative(process.cwd(), sessionDirs(session).base)}`);
  if (code !== 0 && result.failed === 0) result.failed = 1;
  return result;
}

function report(error: unknown): void {
  console.error(`e2e driver: ${error instanceof Error ? error.message : String(error)}`);
}

async function main(): Promise<number> {
  const started = Date.now();
  requireBuilt();
  if (!fs.existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  ensureHost();
  fs.rmSync(screenshotDir, { recursive: true, force: true });
  const total: SuiteResult = { passed: 0, failed: 0, pending: 0 };
  for (const session of sessions()) {
    const sessionStart = Date.now();
    const result = await runSession(session);
    console.log(`e2e [${session.name}]: ${result.passed} passed, ${result.failed} failed in ${((Date.now() - sessionStart) / 1000).toFixed(1)} s`);
    total.passed += result.passed;
    total.failed += result.failed;
    total.pending += result.pending;
  }
  console.log(`e2e: screenshots in ${path.relative(process.cwd(), screenshotDir)}/, took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // The closing line CI reads.
  console.log(`e2e: ${total.passed} passed, ${total.failed} failed, ${total.pending} skipped`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  report(error);
  process.exitCode = 1;
});
