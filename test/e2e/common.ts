/**
 * What the two e2e runners (code-server + Chromium in run.ts, desktop VS Code in electron.ts)
 * share: where things are, the fixture workspace, the user settings and the test sessions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Compiled to out/e2e/, so the repository is two levels up. */
export const repoRoot = path.resolve(__dirname, '..', '..');
export const e2eSource = path.join(repoRoot, 'test', 'e2e');
/** Ignored by git: every run's state lives here and is recreated. */
export const scratch = path.join(repoRoot, '.e2e');
/** CI keeps this folder (test-results/ is ignored by git and left in the clone). */
export const screenshotDir = path.join(repoRoot, 'test-results', 'e2e');
export const vsixPath = path.join(repoRoot, 'vmsnapshot-scripts.vsix');
/** The extension that carries the tests into the extension host (the product comes from the .vsix). */
export const harnessPath = path.join(e2eSource, 'harness');
export const testsEntry = path.join(repoRoot, 'out', 'e2e', 'suite', 'index.js');
export const extensionId = 'vmsnapshot-tools.vmsnapshot-scripts';

export interface Session {
  name: string;
  /** VS Code display language; undefined keeps English. */
  locale?: string;
  /** Suite file stems (suite/<stem>.test.ts) that run in this session. */
  suites: string[];
}

/** Every suite file, minus those that need another display language. */
export function sessions(): Session[] {
  const suiteDir = path.dirname(testsEntry);
  const all = fs.readdirSync(suiteDir).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -'.test.js'.length));
  const localized = ['l10n'];
  const english = all.filter((stem) => !localized.includes(stem));
  const sessionList: Session[] = [{ name: 'en', suites: english }];
  if (all.includes('l10n')) sessionList.push({ name: 'pt-br', locale: 'pt-br', suites: ['l10n'] });
  // E2E_ONLY=hover,l10n runs some suites while working on them.
  const only = process.env.E2E_ONLY?.split(',');
  if (!only) return sessionList;
  return sessionList.map((s) => ({ ...s, suites: s.suites.filter((stem) => only.includes(stem)) })).filter((s) => s.suites.length > 0);
}

/** A fresh copy of the fixture: the suites edit and scaffold files, and the repository must stay clean. */
export function prepareWorkspace(session: Session): string {
  const workspace = path.join(scratch, session.name, 'workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.cpSync(path.join(e2eSource, 'fixture'), workspace, { recursive: true });
  return workspace;
}

/** Settings for a quiet, deterministic workbench: no welcome page, no AI panels, no network. */
export function writeUserSettings(userDir: string): void {
  fs.mkdirSync(userDir, { recursive: true });
  const settings = {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'chat.disableAIFeatures': true,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    'git.enabled': false,
    // Files written by the scaffold command appear at once, not after an auto-save delay.
    'files.autoSave': 'off',
    'editor.hover.delay': 100,
  };
  fs.writeFileSync(path.join(userDir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Environment the extension host inherits: which suites to run and, where a browser drives the
 * workbench, where screenshots go and the folder in which the driver signals back.
 */
export function testEnvironment(session: Session, driverSignals?: string): NodeJS.ProcessEnv {
  return {
    VMSNAPSHOT_E2E_SUITES: session.suites.join(','),
    // E2E_GREP=<regular expression> runs only the tests whose title matches, while working on them.
    ...(process.env.E2E_GREP ? { VMSNAPSHOT_E2E_GREP: process.env.E2E_GREP } : {}),
    ...(driverSignals ? { VMSNAPSHOT_E2E_SCREENSHOTS: screenshotDir, VMSNAPSHOT_E2E_SIGNALS: driverSignals } : {}),
  };
}

/** The summary line that the in-host runner logs, parsed back by the runners. */
export interface SuiteResult {
  passed: number;
  failed: number;
  pending: number;
}

export const resultMarker = '@@e2e-result ';
export const screenshotMarker = '@@e2e-screenshot ';
export const uiMarker = '@@e2e-ui ';
/** Prefixes the suites' own output (mocha's report) in the workbench log. */
export const outputMarker = '@@e2e-out ';

export function parseResult(line: string): SuiteResult | undefined {
  const at = line.indexOf(resultMarker);
  return at < 0 ? undefined : (JSON.parse(line.slice(at + resultMarker.length)) as SuiteResult);
}

export function requireBuilt(): void {
  for (const needed of [vsixPath, testsEntry]) {
    if (!fs.existsSync(needed)) throw new Error(`${path.relative(repoRoot, needed)} is missing: run "npm run test:e2e", which builds and packages first`);
  }
}
