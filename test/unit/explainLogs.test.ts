/**
 * The log reader on runs written from the agent's templates (agent-logs.md), one per outcome
 * the issue names, then on hand-cut and hard-wrapped excerpts of them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainLogs } from '../../server/src/engine/logs/explain';
import { misleadingNote } from '../../server/src/engine/logs/findings';
import type { RunReport } from '../../server/src/engine/logs/model';
import { spec, statusJson, TASK_A, TASK_B, writeRun, RunSpec } from './agentLogTemplates';

function explainOne(text: string, path = 'extension.log'): RunReport {
  const { runs } = explainLogs([{ path, text }]);
  assert.equal(runs.length, 1, `one run expected, got ${runs.length}`);
  return runs[0];
}

type Expected = Partial<Pick<RunReport, 'scriptConfig' | 'freeze' | 'snapshot' | 'consistency' | 'finalCode' | 'healthCode' | 'lastMilestone'>> & {
  pre?: RunReport['pre'];
  post?: RunReport['post'];
  codes?: string[];
};

function assertRun(run: RunReport, expected: Expected): void {
  const { codes, ...fields } = expected;
  for (const [key, value] of Object.entries(fields)) assert.deepEqual(run[key as keyof RunReport], value, `${key}`);
  for (const code of codes ?? []) assert.ok(run.findings.some((finding) => finding.code === code), `finding ${code} in ${run.findings.map((finding) => finding.code).join(', ')}`);
}

const OUTCOMES: { name: string; spec: RunSpec; expected: Expected }[] = [
  {
    name: 'application-consistent success',
    spec: spec({}),
    expected: { scriptConfig: 'loaded', pre: { result: 'success', exitCode: 0 }, post: { result: 'success', exitCode: 0 }, freeze: 'completed', lastMilestone: 9, snapshot: 'allDisks', consistency: 'application', finalCode: 0, healthCode: 0, codes: ['AppConsistentIsNoPromise', 'SnapshotConsistencyField', 'FreezeBlockWrittenLater'] },
  },
  {
    name: 'no script config (the normal VM)',
    spec: spec({ scripts: 'none' }),
    expected: { scriptConfig: 316, pre: { result: 'notRun', exitCode: null }, post: { result: 'notRun', exitCode: null }, freeze: 'completed', snapshot: 'allDisks', consistency: 'fileSystem', finalCode: 1, healthCode: 316, codes: ['NoScriptConfig'] },
  },
  {
    name: 'pre-script timeout with continueBackupOnFailure',
    spec: spec({ pre: 'timedOut' }),
    expected: { pre: { result: 'timedOut', exitCode: null }, post: { result: 'success', exitCode: 0 }, freeze: 'completed', snapshot: 'allDisks', consistency: 'fileSystem', finalCode: 1, healthCode: 308, codes: ['Pre-ScriptTimeout', 'FailureBehindSuccess'] },
  },
  {
    name: 'pre-script timeout without continueBackupOnFailure',
    spec: spec({ pre: 'timedOut', continueBackupOnFailure: false }),
    expected: { pre: { result: 'timedOut', exitCode: null }, post: { result: 'success', exitCode: 0 }, freeze: 'notAttempted', lastMilestone: null, snapshot: 'notAttempted', consistency: 'none', finalCode: 308, healthCode: 308, codes: ['Pre-ScriptTimeout', 'StatusWordSuccess'] },
  },
  {
    name: 'post-script failure behind code 1',
    spec: spec({ post: 'failed', exitCode: 3 }),
    expected: { pre: { result: 'success', exitCode: 0 }, post: { result: 'failed', exitCode: 3 }, freeze: 'completed', snapshot: 'allDisks', consistency: 'fileSystem', finalCode: 1, healthCode: 301, codes: ['Post-ScriptExecutionFailed', 'FailureBehindSuccess', 'RetryNeverReruns'] },
  },
  {
    name: 'freeze failure, block flushed at the end',
    spec: spec({ scripts: 'none', freeze: 'failed' }),
    expected: { freeze: 'failed', lastMilestone: 2, snapshot: 'notAttempted', consistency: 'none', finalCode: 121, healthCode: 121, codes: ['FailedRetryableFsFreezeFailed', 'ThawOfUnfrozenMount'] },
  },
  {
    name: 'freeze timeout, block flushed at the end',
    spec: spec({ scripts: 'none', freeze: 'timedOut' }),
    expected: { freeze: 'timedOut', snapshot: 'notAttempted', consistency: 'none', finalCode: 122, healthCode: 122, codes: ['FailedRetryableFsFreezeTimeout'] },
  },
  {
    name: 'snapshot partial failure',
    spec: spec({ scripts: 'none', snapshot: 'partial', disks: 2 }),
    expected: { freeze: 'completed', snapshot: 'partial', consistency: 'none', finalCode: 76, healthCode: 761, codes: ['FailedRetryableSnapshotFailedRestrictedNetwork', 'StatusWordSuccess'] },
  },
  {
    name: 'host 500 (no final status written)',
    spec: spec({ scripts: 'none', snapshot: 'host500' }),
    expected: { freeze: 'completed', snapshot: 'failed', consistency: 'none', finalCode: 556, healthCode: null, codes: ['FailedHostSnapshotRemoteServerError'] },
  },
  {
    name: 'Python 2 format, application consistent',
    spec: spec({ python: 2 }),
    expected: { pre: { result: 'success', exitCode: 0 }, freeze: 'completed', lastMilestone: 9, snapshot: 'allDisks', consistency: 'application', finalCode: 0 },
  },
  {
    name: 'Python 2 format, pre-script failure, continue',
    spec: spec({ python: 2, pre: 'failed', exitCode: 2 }),
    expected: { pre: { result: 'failed', exitCode: 2 }, freeze: 'completed', consistency: 'fileSystem', finalCode: 1, healthCode: 300 },
  },
  {
    name: 'Python 2 format, freeze failure',
    spec: spec({ python: 2, scripts: 'none', freeze: 'failed' }),
    expected: { freeze: 'failed', snapshot: 'notAttempted', consistency: 'none', finalCode: 121 },
  },
  {
    name: 'enhanced framework (workload.conf, MySQL): application consistent',
    spec: spec({ workload: 'success' }),
    expected: { scriptConfig: 'workload', pre: { result: 'success', exitCode: null }, post: { result: 'success', exitCode: null }, freeze: 'completed', consistency: 'application', finalCode: 0 },
  },
  {
    name: 'enhanced framework: the quiesce was gone at post time, code 1 hides it',
    spec: spec({ workload: 'quiesceLost' }),
    expected: { scriptConfig: 'workload', pre: { result: 'success', exitCode: null }, post: { result: 'failed', exitCode: null }, consistency: 'fileSystem', finalCode: 1, healthCode: 510, codes: ['FailureBehindSuccess'] },
  },
  {
    name: 'a run cut off by a hang during the freeze',
    spec: spec({ freeze: 'hang' }),
    expected: { pre: { result: 'success', exitCode: 0 }, post: { result: 'unknown', exitCode: null }, freeze: 'unknown', lastMilestone: null, snapshot: 'unknown', consistency: 'unknown', finalCode: null, healthCode: null, codes: ['RunCutOff'] },
  },
];

describe('explain: one run per outcome, written from the agent templates', () => {
  for (const outcome of OUTCOMES) {
    it(outcome.name, () => {
      const written = writeRun(outcome.spec);
      const run = explainOne(written.text);
      assert.equal(run.finalCode, written.finalCode);
      assert.deepEqual(run.key, { sequenceNumber: 12, taskId: TASK_A });
      assertRun(run, outcome.expected);
      // Every conclusion names lines that exist and say something.
      const lines = written.text.split('\n');
      for (const [field, sources] of Object.entries(run.evidence)) {
        for (const source of sources ?? []) assert.ok(lines[source.line - 1]?.trim(), `${field} cites line ${source.line}`);
      }
      for (const finding of run.findings) assert.ok(finding.message.length > 20 && lines[finding.line - 1] !== undefined, `${finding.code} has a message and a line`);
    });
  }

  it('says how long a pre-script ran before its timeout, with the limits that made it', () => {
    const run = explainOne(writeRun(spec({ pre: 'timedOut', timeoutSeconds: 10 })).text);
    const finding = run.findings.find((item) => item.code === 'Pre-ScriptTimeout')!;
    assert.match(finding.message, /timed out after 12 s \(timeout 10 s, poll 3 s\): raise timeoutInSeconds/);
  });

  it('with the script config given too, a finding points at the config line responsible', () => {
    const config = '{\n  "pluginName": "ScriptRunner",\n  "preScriptLocation": "/etc/azure/pre.sh",\n  "timeoutInSeconds": 10,\n  "continueBackupOnFailure": false\n}\n';
    const { runs } = explainLogs([
      { path: 'extension.log', text: writeRun(spec({ pre: 'timedOut', continueBackupOnFailure: false })).text },
      { path: '/etc/azure/VMSnapshotScriptPluginConfig.json', text: config },
    ]);
    const timeout = runs[0].findings.find((finding) => finding.code === 'Pre-ScriptTimeout')!;
    assert.deepEqual(timeout.related, { file: '/etc/azure/VMSnapshotScriptPluginConfig.json', line: 4, key: 'timeoutInSeconds', reason: 'configKey' });
    const failed = explainLogs([{ path: 'extension.log', text: writeRun(spec({ pre: 'failed' })).text }, { path: 'x/VMSnapshotScriptPluginConfig.json', text: config }]).runs[0];
    assert.equal(failed.findings.find((finding) => finding.code === 'Pre-ScriptExecutionFailed')?.related?.line, 3);
  });

  it('the freeze block is put back between "proceeded for accepting signals" and the thaw in the timeline', () => {
    const run = explainOne(writeRun(spec({ scripts: 'none', freeze: 'failed' })).text);
    const texts = run.timeline.map((event) => event.text);
    const accepting = texts.findIndex((text) => text.startsWith('proceeded for accepting signals'));
    const enable = texts.findIndex((text) => text.startsWith('Enable,error,121'));
    const milestone = texts.findIndex((text) => text.startsWith('****** 1.'));
    assert.ok(accepting >= 0 && milestone > accepting && milestone < enable, texts.join('\n'));
  });

  it('two runs in one file, and the enable and daemon of one run are one run', () => {
    const first = writeRun(spec({ sequenceNumber: 12 }));
    const second = writeRun(spec({ sequenceNumber: 13, taskId: TASK_B, scripts: 'none', start: new Date(Date.UTC(2026, 11, 3, 14, 26, 40)) }));
    const { runs } = explainLogs([{ path: 'extension.log', text: first.text + second.text }]);
    assert.deepEqual(runs.map((run) => [run.key.sequenceNumber, run.finalCode, run.consistency]), [[12, 0, 'application'], [13, 1, 'fileSystem']]);
    assert.deepEqual(explainLogs([{ path: 'extension.log', text: first.text + second.text }], { last: 1 }).runs.map((run) => run.key.sequenceNumber), [13]);
  });

  it('a re-delivered enable with the same sequence number is not a run', () => {
    const run = writeRun(spec({}));
    const redelivery = [
      '2026-12-02 15:00:00.000001 [MyBackupTestLinuxInt-0.0]try_parse_context : Sequence Number received 12',
      '2026-12-02 15:00:00.000002 [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]starting enable',
      '2026-12-02 15:00:00.000003 [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]the sequence number are same, so skip, current:12== last:12',
      '',
    ].join('\n');
    const { runs } = explainLogs([{ path: 'extension.log', text: run.text + redelivery }]);
    assert.equal(runs.length, 1);
    assert.equal(runs[0].finalCode, 0);
  });

  it('a status file alone: the code is the truth, not the top-level "success"', () => {
    const status = statusJson({ code: 308, taskId: TASK_A, healthCode: 308, snapshotConsistency: 0, word: 'error', terminal: true });
    const { runs } = explainLogs([{ path: '/var/lib/waagent/x/status/12.status', text: status }]);
    assert.equal(runs.length, 1);
    assertRun(runs[0], { finalCode: 308, healthCode: 308, consistency: 'none', codes: ['StatusWordSuccess'] });
    assert.equal(runs[0].key.sequenceNumber, 12);
  });

  it('the status blob form (the report itself, no nesting) and a status stuck at code 4', () => {
    const nested = JSON.parse(statusJson({ code: 76, taskId: TASK_A, healthCode: 761, snapshotConsistency: 0, disks: [true, false], word: 'success', terminal: true })) as { status: { substatus: { name: string }[] } }[];
    const blob = nested[0].status.substatus[0].name;
    const run = explainOne(blob, 'statusblob.json');
    assertRun(run, { finalCode: 76, healthCode: 761, snapshot: 'partial', consistency: 'none' });
    const stuck = explainOne(statusJson({ code: 4, taskId: TASK_A, healthCode: 1, snapshotConsistency: 0, word: 'transitioning', terminal: false }), '12.status');
    assertRun(stuck, { finalCode: null, consistency: 'unknown', codes: ['StatusNotWritten'] });
  });

  it('extension.log with its status file and shell.log: one run, the status file confirms', () => {
    const written = writeRun(spec({ post: 'failed' }));
    const status = statusJson({ code: 1, taskId: TASK_A, healthCode: 301, snapshotConsistency: 0, word: 'success', terminal: true });
    const shell = ['Wed Dec  2 14:26:40 UTC 2026- ConfigSequenceNumber from environment variable seqNo:12', 'Wed Dec  2 14:26:40 UTC 2026- python3 path exists', 'Wed Dec  2 14:26:43 UTC 2026- 0 returned from handle.py', ''].join('\n');
    const { runs } = explainLogs([
      { path: 'extension.log', text: written.text },
      { path: '12.status', text: status },
      { path: 'shell.log', text: shell },
    ]);
    assert.equal(runs.length, 1);
    assertRun(runs[0], { finalCode: 1, healthCode: 301, consistency: 'fileSystem', post: { result: 'failed', exitCode: 1 } });
    assert.ok(runs[0].evidence.healthCode?.length);
  });

  it('shell.log: "3 returned from handle.py" after "python version unknown" means handle.py never ran', () => {
    const shell = ['Wed Dec  2 14:26:40 UTC 2026- ConfigSequenceNumber from environment variable seqNo:7', 'Wed Dec  2 14:26:40 UTC 2026- python version unknown', 'Wed Dec  2 14:26:40 UTC 2026- 3 returned from handle.py', ''].join('\n');
    const run = explainOne(shell, 'shell.log');
    assertRun(run, { finalCode: null, codes: ['HandlerNeverRan'] });
  });
});

describe('explain: excerpts users paste', () => {
  it('hand-cut: only the end of the run (no process start) still gives what its lines say', () => {
    const lines = writeRun(spec({ post: 'failed', exitCode: 3 })).text.split('\n');
    const from = lines.findIndex((line) => line.includes('Starting postscript for all modules.'));
    const run = explainOne(lines.slice(from).join('\n'));
    assertRun(run, { post: { result: 'failed', exitCode: 3 }, finalCode: 1, healthCode: 301, pre: { result: 'unknown', exitCode: null }, freeze: 'unknown' });
  });

  it('hand-cut in the middle of a line at the end: the cut line proves nothing', () => {
    const text = writeRun(spec({ pre: 'failed', exitCode: 12 })).text;
    const cut = text.indexOf('failed with error code: 12') + 'failed with error code: 1'.length;
    const run = explainOne(text.slice(0, cut));
    assert.notEqual(run.pre.exitCode, 1);
    assert.equal(run.finalCode, null);
    assert.equal(run.consistency, 'unknown');
  });

  it('hard-wrapped at 80 columns, as a terminal or an e-mail wraps it: same conclusions', () => {
    for (const runSpec of [spec({}), spec({ post: 'failed', exitCode: 3 }), spec({ scripts: 'none', freeze: 'failed' }), spec({ python: 2, pre: 'timedOut' })]) {
      const text = writeRun(runSpec).text;
      const wrapped = text
        .split('\n')
        .map((line) => line.match(/.{1,80}/g)?.join('\n') ?? line)
        .join('\n');
      const whole = explainOne(text);
      const fromWrapped = explainOne(wrapped);
      for (const field of ['pre', 'post', 'scriptConfig', 'freeze', 'snapshot', 'consistency', 'finalCode', 'healthCode'] as const) {
        assert.deepEqual(fromWrapped[field], whole[field], `${field} after wrapping`);
      }
    }
  });

  it('serial-console copies and Windows line ends are read too', () => {
    const text = writeRun(spec({ scripts: 'none' })).text.replace(/\n/g, '\r\n');
    assertRun(explainOne(text), { finalCode: 1, consistency: 'fileSystem' });
  });
});

describe('explain: misleading lines', () => {
  it('each names what the line really means', () => {
    assert.equal(misleadingNote('Prescript for mysql failed. Retrying...')?.code, 'RetryNeverReruns');
    assert.equal(misleadingNote('Plugin host file does not exist in the location /etc/azure/VMSnapshotScriptPluginConfig.json')?.code, 'NoScriptConfig');
    assert.equal(misleadingNote('App Consistent Consistent Backup Enabled')?.code, 'AppConsistentIsNoPromise');
    assert.equal(misleadingNote('Enable,success,76,Enable failed,False')?.code, 'StatusWordSuccess');
    assert.equal(misleadingNote('Enable,success,1,,False'), undefined);
  });
});
