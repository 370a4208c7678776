/**
 * `npm run test:electron`: the same suites in desktop VS Code through @vscode/test-electron, on
 * machines that have it (VSCODE_EXECUTABLE, or a download that works). Where none can be had it
 * says why and exits 0: the code-server run (test:e2e) is the one that always runs.
 * Desktop VS Code has no browser driver, so screenshots and prompt answers are skipped there.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests, SilentReporter } from '@vscode/test-electron';
import { harnessPath, prepareWorkspace, requireBuilt, scratch, sessions, testEnvironment, testsEntry, vsixPath, writeUserSettings } from './common';

const downloadTimeoutMs = 60_000;

async function findVSCode(): Promise<{ executable?: string; why?: string }> {
  const fromEnv = process.env.VSCODE_EXECUTABLE;
  if (fromEnv) return fs.existsSync(fromEnv) ? { executable: fromEnv } : { why: `VSCODE_EXECUTABLE=${fromEnv} does not exist` };
  console.log('test:electron: VSCODE_EXECUTABLE is not set; downloading VS Code…');
  try {
    // test-electron's own idle timeout does not bound a connection that never opens.
    const executable = await Promise.race([
      downloadAndUnzipVSCode({ version: 'stable', cachePath: path.join(scratch, 'vscode-test'), timeout: downloadTimeoutMs, reporter: new SilentReporter() }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer')), downloadTimeoutMs).unref()),
    ]);
    return { executable };
  } catch (error) {
    return { why: `no VS Code binary: VSCODE_EXECUTABLE is not set and the download failed (${(error as Error).message.split('\n')[0]})` };
  }
}

async function main(): Promise<number> {
  requireBuilt();
  const { executable, why } = await findVSCode();
  if (!executable) {
    console.log(`test:electron skipped: ${why}. npm run test:e2e runs the same suites in code-server.`);
    return 0;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY) {
    console.log('test:electron: no DISPLAY; run it under xvfb-run (apt-get install -y xvfb).');
  }
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(executable);
  let failed = 0;
  for (const session of sessions()) {
    const base = path.join(scratch, `electron-${session.name}`);
    fs.rmSync(base, { recursive: true, force: true });
    const userData = path.join(base, 'user-data');
    const extensions = path.join(base, 'extensions');
    writeUserSettings(path.join(userData, 'User'));
    const dirs = ['--user-data-dir', userData, '--extensions-dir', extensions];
    const install = spawnSync(cli, [...cliArgs, ...dirs, '--install-extension', vsixPath, '--force'], { stdio: 'inherit', shell: process.platform === 'win32' });
    if (install.status !== 0) throw new Error('installing the .vsix failed');
    try {
      await runTests({
        vscodeExecutablePath: executable,
        extensionDevelopmentPath: harnessPath,
        extensionTestsPath: testsEntry,
        extensionTestsEnv: testEnvironment(session),
        launchArgs: [prepareWorkspace(session), ...dirs, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
          ...(session.locale ? ['--locale', session.locale] : [])],
      });
    } catch (error) {
      console.error(`test:electron [${session.name}]: ${(error as Error).message}`);
      failed++;
    }
  }
  return failed === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (error: unknown) => {
  console.error(`test:electron: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
