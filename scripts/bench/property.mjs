// The property tests' generators, run at benchmark scale: how long the engine plus every feature
// takes per random document, as a distribution (the tests only assert a generous bound).
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './documents.mjs';
import { ms, summarize, table } from './stats.mjs';

const require = createRequire(import.meta.url);

export function runPropertyBenchmark(total) {
  const fc = require('fast-check');
  const generators = require(path.join(REPO_ROOT, 'out', 'test', 'unit', 'propertyGenerators.js'));
  const vm = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-property-bench-'));
  try {
    fs.mkdirSync(path.join(vm, 'etc', 'azure'), { recursive: true });
    for (const name of ['pre-script.sh', 'post-script.sh']) fs.writeFileSync(path.join(vm, 'etc', 'azure', name), '#!/bin/sh\nexit 0\n', { mode: 0o700 });
    const configPath = path.join(vm, 'etc', 'azure', 'VMSnapshotScriptPluginConfig.json');
    fs.writeFileSync(configPath, generators.VALID_CONFIGS[0], { mode: 0o600 });
    for (const text of generators.VALID_CONFIGS) generators.exerciseDocument(text, { configPath, fileChecks: 'on' }, [10]);

    const kinds = [
      ['random text', generators.randomText, {}, 0.3],
      ['mutated valid configs (scripts on disk)', generators.mutatedConfig, { configPath, fileChecks: 'on' }, 0.4],
      ['random values per key (scripts on disk)', generators.randomValuesConfig, { configPath, fileChecks: 'on' }, 0.3],
    ];
    const rows = [];
    let failures = 0;
    let transient = 0;
    const slow = [];
    for (const [name, arbitrary, options, share] of kinds) {
      const times = [];
      const numRuns = Math.round(total * share);
      const details = fc.check(
        fc.property(arbitrary, generators.probeOffsets, (text, offsets) => {
          const { elapsedMs } = generators.exerciseDocument(text, options, offsets);
          times.push(elapsedMs);
          if (elapsedMs >= generators.PER_DOCUMENT_BOUND_MS) {
            // Timed again: a document that is fast the second time met a GC pause or a busy machine.
            const again = Math.min(...[0, 1, 2].map(() => generators.exerciseDocument(text, options, offsets).elapsedMs));
            if (again >= generators.PER_DOCUMENT_BOUND_MS) slow.push({ name, ms: again, text: text.slice(0, 120) });
            else transient++;
          }
        }),
        { numRuns },
      );
      if (details.failed) {
        failures++;
        rows.push([name, numRuns, `FAILED: ${String(details.errorInstance ?? details.error).split('\n')[0]} (seed ${details.seed})`, '', '', '']);
        continue;
      }
      const s = summarize(times);
      rows.push([name, s.n, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max)]);
    }
    return { rows, failures, overBound: slow.length, transient, slow, total, bound: generators.PER_DOCUMENT_BOUND_MS };
  } finally {
    fs.rmSync(vm, { recursive: true, force: true });
  }
}

export function reportProperty(result, print) {
  print(`Property cases (engine + completion, hover, definition at 3-7 offsets, links, lenses, code actions per document)`);
  print(table(['generator', 'cases', 'p50', 'p95', 'p99', 'max'], result.rows));
  print(`${result.failures === 0 ? 'No' : result.failures} generator failed; ${result.overBound} of ${result.total} documents over the tests' ${result.bound} ms bound when timed again (${result.transient} more were over it once only: a GC pause or a busy machine).`);
  for (const entry of result.slow.slice(0, 5)) print(`  slow (${entry.name}, ${ms(entry.ms)}): ${JSON.stringify(entry.text)}`);
  return result;
}
