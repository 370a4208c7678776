/**
 * Property tests of the log reader and the redaction: any text, any truncation of a real run,
 * any interleaving of two runs' lines. Never a throw, always a bounded time, and where the text
 * no longer establishes a result the answer is "unknown" (or null), never another result.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import type { FileSystem } from '../../server/src/engine/fs/fileSystem';
import { explainLogs } from '../../server/src/engine/logs/explain';
import type { RunReport } from '../../server/src/engine/logs/model';
import { redactText } from '../../server/src/engine/logs/redact';
import { DB_PASSWORD, DD_TOKEN, MACHINE_ID, RunSpec, SNAPSHOT_TOKEN, spec, STORAGE_ACCOUNT, TASK_B, writeRun } from './agentLogTemplates';

const seed = process.env.VMSNAPSHOT_PROPERTY_SEED === undefined ? undefined : Number(process.env.VMSNAPSHOT_PROPERTY_SEED);
/** Generous: a run is explained in about a millisecond; the bound only catches runaway regexes. */
const BOUND_MS = 5000;

const SPECS: RunSpec[] = [
  spec({}),
  spec({ scripts: 'none' }),
  spec({ pre: 'timedOut' }),
  spec({ pre: 'timedOut', continueBackupOnFailure: false }),
  spec({ post: 'failed', exitCode: 3 }),
  spec({ scripts: 'none', freeze: 'failed' }),
  spec({ scripts: 'none', freeze: 'timedOut' }),
  spec({ scripts: 'none', snapshot: 'partial', disks: 2 }),
  spec({ scripts: 'none', snapshot: 'host500' }),
  spec({ python: 2, pre: 'failed' }),
  spec({ freeze: 'hang' }),
  spec({ workload: 'quiesceLost' }),
  spec({ python: 2, scripts: 'none', freeze: 'timedOut' }),
];
const TEXTS = SPECS.map((runSpec) => writeRun(runSpec).text);

function timed<T>(work: () => T): T {
  const started = performance.now();
  const result = work();
  const elapsed = performance.now() - started;
  assert.ok(elapsed < BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
  return result;
}

const UNKNOWN = new Set<unknown>(['unknown', null]);

/** Each field of `partial` is the full answer or "unknown"; the furthest milestone can only be less. */
function assertNoWrongClaim(partial: RunReport, full: RunReport): void {
  for (const field of ['scriptConfig', 'freeze', 'snapshot', 'consistency', 'finalCode', 'healthCode'] as const) {
    assert.ok(UNKNOWN.has(partial[field]) || partial[field] === full[field], `${field}: ${String(partial[field])} where the whole run says ${String(full[field])}`);
  }
  for (const side of ['pre', 'post'] as const) {
    assert.ok(partial[side].result === 'unknown' || partial[side].result === full[side].result, `${side}: ${partial[side].result} vs ${full[side].result}`);
    assert.ok(partial[side].exitCode === null || partial[side].exitCode === full[side].exitCode, `${side} exit code`);
  }
  assert.ok(partial.lastMilestone === null || (full.lastMilestone !== null && partial.lastMilestone <= full.lastMilestone), 'milestone');
}

function matching(runs: RunReport[], full: RunReport): RunReport[] {
  return runs.filter((run) => run.key.sequenceNumber === full.key.sequenceNumber || run.key.sequenceNumber === null);
}

describe('property: explain answers any text in bounded time', () => {
  it('random text and random lines in the agent formats (1,000 cases)', () => {
    const agentish = fc.array(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.constantFrom(...TEXTS.flatMap((text) => text.split('\n')).slice(0, 400)),
        fc.string({ maxLength: 60 }).map((tail) => `2026-12-02 14:26:40.123456 [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]${tail}`),
      ),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 2000 }), agentish.map((lines) => lines.join('\n'))), (text) => {
        const result = timed(() => explainLogs([{ path: 'extension.log', text }, { path: '3.status', text }]));
        assert.ok(Array.isArray(result.runs));
        JSON.stringify(result);
      }),
      { numRuns: 1000, seed },
    );
  });

  it('any truncation of a run, at the start and at the end: never a claim the whole run contradicts (1,500 cases)', () => {
    fc.assert(
      fc.property(fc.nat(SPECS.length - 1), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (which, a, b) => {
        const text = TEXTS[which];
        const full = explainLogs([{ path: 'extension.log', text }]).runs[0];
        const [from, to] = [Math.floor(Math.min(a, b) * text.length), Math.ceil(Math.max(a, b) * text.length)];
        const runs = timed(() => explainLogs([{ path: 'extension.log', text: text.slice(from, to) }]).runs);
        for (const run of matching(runs, full)) assertNoWrongClaim(run, full);
      }),
      { numRuns: 1500, seed },
    );
  });

  it('any interleaving of two runs\' lines: each run is its own result or unknown (500 cases)', () => {
    fc.assert(
      fc.property(fc.nat(SPECS.length - 1), fc.nat(SPECS.length - 1), fc.array(fc.boolean(), { minLength: 400, maxLength: 400 }), (first, second, picks) => {
        const a = TEXTS[first].split('\n');
        const bSpec = { ...SPECS[second], sequenceNumber: 13, taskId: TASK_B };
        const b = writeRun(bSpec).text.split('\n');
        const fullA = explainLogs([{ path: 'extension.log', text: TEXTS[first] }]).runs[0];
        const fullB = explainLogs([{ path: 'extension.log', text: b.join('\n') }]).runs[0];
        const merged: string[] = [];
        let i = 0;
        let j = 0;
        let k = 0;
        // B starts after A's first line, so that A's process start is the first line of the file.
        merged.push(a[i++]);
        while (i < a.length || j < b.length) merged.push((picks[k++ % picks.length] && j < b.length) || i >= a.length ? b[j++] : a[i++]);
        const runs = timed(() => explainLogs([{ path: 'extension.log', text: merged.join('\n') }]).runs);
        for (const run of runs) {
          if (run.key.sequenceNumber === 12) assertNoWrongClaim(run, fullA);
          else if (run.key.sequenceNumber === 13) assertNoWrongClaim(run, fullB);
        }
      }),
      { numRuns: 500, seed },
    );
  });
});

describe('property: links to the config and the scripts', () => {
  const FAILING = [spec({ pre: 'failed', exitCode: 2 }), spec({ pre: 'timedOut' }), spec({ post: 'failed', exitCode: 3 })].map((runSpec) => writeRun(runSpec).text);
  /** Only the two scripts, whatever their text: an in-memory file system. */
  const scriptsOf = (pre: string, post: string): FileSystem => ({
    stat: () => undefined,
    lstat: () => undefined,
    readDirectory: () => undefined,
    readFile: (file) => (file === '/etc/azure/pre.sh' ? Buffer.from(pre) : file === '/etc/azure/post.sh' ? Buffer.from(post) : undefined),
  });
  const shellish = fc.array(fc.constantFrom('exit 2', 'exit 3', 'sleep 30', 'sleep $x', 'while :; do', 'done', 'until x; do sleep 1', 'fi', "'", '"', '$(', ')', '<<EOF', 'EOF', '\n', ' ', '#', 'timeout 60 x', '&'), { maxLength: 40 }).map((parts) => parts.join(''));

  it('any config text and any script text: no throw, and every link names a line that exists (300 cases)', () => {
    fc.assert(
      fc.property(fc.nat(FAILING.length - 1), fc.oneof(fc.string({ maxLength: 200 }), fc.constant('{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"}')), fc.oneof(shellish, fc.string({ maxLength: 200 })), shellish, (index, config, pre, post) => {
        const { runs } = timed(() => explainLogs([{ path: 'extension.log', text: FAILING[index] }, { path: '/etc/azure/VMSnapshotScriptPluginConfig.json', text: config }], { fileSystem: scriptsOf(pre, post) }));
        for (const finding of runs.flatMap((run) => run.findings)) {
          const related = finding.related;
          if (!related) continue;
          const text = related.file === '/etc/azure/pre.sh' ? pre : related.file === '/etc/azure/post.sh' ? post : config;
          const lineCount = text.split(/\r\n|\r|\n/).length;
          for (const line of related.lines ?? [related.line]) assert.ok(line >= 1 && line <= lineCount, `${related.file}:${line} of ${lineCount} lines`);
        }
      }),
      { numRuns: 300, seed },
    );
  });
});

describe('property: redaction', () => {
  // A password is only recognisable by its flag: the property holds for the flag and the password together.
  const SECRETS = [SNAPSHOT_TOKEN, DD_TOKEN, MACHINE_ID, STORAGE_ACCOUNT, `-p${DB_PASSWORD}`];

  it('any truncation of a run with every secret: none is left, however the text is cut (1,000 cases)', () => {
    const text = writeRun(spec({ disks: 2, workloadCredentials: true })).text;
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(text.length), (a, b) => {
        const piece = text.slice(Math.min(a, b), Math.max(a, b));
        const redacted = timed(() => redactText(piece).text);
        for (const secret of SECRETS) {
          // A secret cut to a few characters is no longer the secret; a whole one must be gone.
          if (piece.includes(secret)) assert.ok(!redacted.includes(secret.replace(/^-p/, '')), `${secret} left in ${redacted}`);
        }
      }),
      { numRuns: 1000, seed },
    );
  });

  it('text without anything sensitive is unchanged (1,000 cases)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-zA-Z ,.:()\n]{0,300}$/), (text) => {
        assert.equal(redactText(text).text, text);
      }),
      { numRuns: 1000, seed },
    );
  });
});
