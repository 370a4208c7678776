/**
 * Entry point that VS Code's extension host calls with `extensionTestsPath`: runs the mocha
 * suites named by the runner and reports a summary line the runner parses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const wanted = (process.env.VMSNAPSHOT_E2E_SUITES ?? '').split(',').filter(Boolean);
  const stems = wanted.length > 0 ? wanted : fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -8));
  // No colours: the output travels through the workbench's log, which shows escape codes raw.
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  for (const stem of stems) mocha.addFile(path.join(__dirname, `${stem}.test.js`));
  const stats = await new Promise<Mocha.Stats>((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats ?? { passes: 0, failures: 1, pending: 0 } as Mocha.Stats));
  });
  console.log(`@@e2e-result ${JSON.stringify({ passed: stats.passes, failed: stats.failures, pending: stats.pending })}`);
  if (stats.failures > 0) throw new Error(`${stats.failures} e2e test(s) failed`);
}
