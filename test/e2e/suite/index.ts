/**
 * Entry point that VS Code's extension host calls with `extensionTestsPath`: runs the mocha
 * suites named by the runner and reports a summary line the runner parses.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const wanted = (process.env.VMSNAPSHOT_E2E_SUITES ?? '').split(',').filter(Boolean);
  const stems = wanted.length > 0 ? wanted : fs.readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).map((f) => f.slice(0, -8));
  // No colours: the output travels through the workbench's log, which shows escape codes raw.
  const mocha = new Mocha({ ui: 'bdd', color: false, reporter: 'spec', timeout: 60_000 });
  if (process.env.VMSNAPSHOT_E2E_SCREENSHOTS) {
    // In code-server the report reaches the runner through the workbench's log, among its own
    // messages: a prefix tells the runner which lines are the report.
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(`@@e2e-out ${format(...args)}`);
  }
  if (process.env.VMSNAPSHOT_E2E_GREP) mocha.grep(new RegExp(process.env.VMSNAPSHOT_E2E_GREP));
  for (const stem of stems) mocha.addFile(path.join(__dirname, `${stem}.test.js`));
  const stats = await new Promise<{ passed: number; failed: number; pending: number }>((resolve) => {
    const runner = mocha.run((failures) => resolve({ passed: runner.stats?.passes ?? 0, failed: failures, pending: runner.stats?.pending ?? 0 }));
  });
  console.log(`@@e2e-result ${JSON.stringify(stats)}`);
  if (stats.failed > 0) throw new Error(`${stats.failed} e2e test(s) failed`);
}
