/**
 * Property tests: on random text, mutated valid configs and random values for each key, the
 * engine never throws, every feature request gets a well-formed answer, and each document is
 * done within a generous bound. 10,000 cases in all; `npm run bench` runs 100,000 and prints the
 * distribution of times. A failure prints fast-check's seed and path: rerun with
 * VMSNAPSHOT_PROPERTY_SEED=<seed> to reproduce it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import type { AnalyzeOptions } from '../../server/src/engine/analyze';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { exerciseDocument, mutatedConfig, PER_DOCUMENT_BOUND_MS, probeOffsets, randomText, randomValuesConfig, VALID_CONFIGS } from './propertyGenerators';

const scale = Number(process.env.VMSNAPSHOT_PROPERTY_SCALE ?? 1);
const seed = process.env.VMSNAPSHOT_PROPERTY_SEED === undefined ? undefined : Number(process.env.VMSNAPSHOT_PROPERTY_SEED);
const runs = (count: number) => Math.max(1, Math.round(count * scale));

function check(arbitrary: fc.Arbitrary<string>, options: () => AnalyzeOptions, numRuns: number): void {
  fc.assert(
    fc.property(arbitrary, probeOffsets, (text, offsets) => {
      const { elapsedMs } = exerciseDocument(text, options(), offsets);
      assert.ok(elapsedMs < PER_DOCUMENT_BOUND_MS, `took ${elapsedMs.toFixed(1)} ms (bound ${PER_DOCUMENT_BOUND_MS} ms) for ${JSON.stringify(text.slice(0, 200))}`);
    }),
    { numRuns, seed },
  );
}

describe('property: the engine and every feature answer any text, in bounded time', () => {
  let vm: VmRoot;
  /** A workspace copy of a VM (`<vm>/etc/azure/…`) with both scripts, so file checks run for real. */
  const onDisk = (): AnalyzeOptions => ({ configPath: vm.local(CONFIG_PATH), fileChecks: 'on' });
  const inMemory = (): AnalyzeOptions => ({});

  before(() => {
    vm = new VmRoot();
    vm.writeScripts('/etc/azure/pre-script.sh', '/etc/azure/post-script.sh');
    vm.write(CONFIG_PATH, { content: VALID_CONFIGS[0] });
    // The first call pays for loading messages and compiling the schema validator; not a document's cost.
    for (const text of VALID_CONFIGS) exerciseDocument(text, onDisk(), [10]);
  });
  after(() => vm.remove());

  it('random text (3,000 cases)', () => check(randomText, inMemory, runs(3000)));
  it('mutations of valid configs, scripts on disk (2,000 cases)', () => check(mutatedConfig, onDisk, runs(2000)));
  it('mutations of valid configs, no file system (2,000 cases)', () => check(mutatedConfig, inMemory, runs(2000)));
  it('random values for each key, scripts on disk (3,000 cases)', () => check(randomValuesConfig, onDisk, runs(3000)));
});
