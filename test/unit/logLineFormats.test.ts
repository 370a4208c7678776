/**
 * Every line shape of agent-logs.md §2, classified: writer, clock and message. The clock
 * matters because one file mixes UTC and local time (trap 9).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainLogs } from '../../server/src/engine/logs/explain';
import { classifyLine } from '../../server/src/engine/logs/lineFormats';

const P = '[Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0]';

describe('line formats', () => {
  const cases: [string, string, Partial<ReturnType<typeof classifyLine>> & { iso?: string; clock?: string }][] = [
    ['Python 3, UTC since 2021-09', `2024-01-14 22:16:48.796446 ${P}T:S freeze, timeout value 60`, { kind: 'agent', python: 3, message: 'T:S freeze, timeout value 60', iso: '2024-01-14T22:16:48.796446Z', clock: 'utc' }],
    ['Python 3 before 2021-09: local time', `2020-05-01 10:00:00.000001 ${P}starting enable`, { kind: 'agent', message: 'starting enable', clock: 'local' }],
    ['Python 2, local time', `2017/11/14 03:06:52 ${P}T:S snapshotall ends...`, { kind: 'agent', python: 2, message: 'T:S snapshotall ends...', iso: '2017-11-14T03:06:52', clock: 'local' }],
    ['waagent Logger ERROR line, also under Python 3', `2026/12/02 11:26:40 ERROR:${P}Unable to locate a .settings file!`, { kind: 'agent', level: 'Error', message: 'Unable to locate a .settings file!', clock: 'local' }],
    ['compile-time prefix of a new process', '2026-12-02 14:26:40.000001 [MyBackupTestLinuxInt-0.0]try_parse_context : Sequence Number received 12', { kind: 'agent', message: 'try_parse_context : Sequence Number received 12' }],
    ['2016 layout: pre-formatted inner line inside a Python 2 line', `2016/12/10 01:11:00 ${P}2016-12-10 01:11:00.519872  Info  T:S freeze result , timedout :False`, { kind: 'agent', level: 'Info', message: 'T:S freeze result , timedout :False', clock: 'local' }],
    ['freeze block, Python 3 inner line (trailing space)', '2026/12/02 14:26:48.123456  Info  ****** 4. Freeze Completed (Signal=1 received) ', { kind: 'inner', level: 'Info', message: '****** 4. Freeze Completed (Signal=1 received)', clock: 'utc' }],
    ['freeze block, Python 2 inner line (outer local, inner with dashes)', '2017/11/14 03:06:52 2017-11-14 03:06:52.123456  Warning  T:S Enable failed with error: x ', { kind: 'inner', python: 2, level: 'Warning', message: 'T:S Enable failed with error: x' }],
    ['freeze binary output, local seconds', `2026-12-02 14:26:50.000001 ${P}2026-12-02 11:26:48 ****** 2. Binary Freeze Started `, { kind: 'binary', message: '****** 2. Binary Freeze Started ', iso: '2026-12-02T11:26:48', clock: 'local' }],
    ['newer function tag', `2026-12-02 14:26:50.000001 ${P}[SnapshotRequest.log_binary_output] -> ============== Binary output traces start ================= `, { kind: 'agent', message: '============== Binary output traces start ================= ' }],
    ['serial console copy with the kernel stamp', '[  123.456789] 2026/12/02 14:26:40.123456  Info  starting daemon initially ', { kind: 'inner', message: 'starting daemon initially' }],
    ['banner of the freeze block', `2026-12-02 14:26:50.000001 ${P}================== Logs during Freeze Start ==============`, { kind: 'blockStart' }],
    ['end banner', '================== Logs during Freeze End ==============', { kind: 'blockEnd' }],
    ['shell.log, date -u', 'Wed Dec  2 14:26:40 UTC 2026- python3 path exists', { kind: 'shell', message: 'python3 path exists', iso: '2026-12-02T14:26:40Z', clock: 'utc' }],
    ['shell.log, 2019 local date', 'Tue Oct  1 09:00:00 CEST 2019- 0 returned from handle.py', { kind: 'shell', message: '0 returned from handle.py', clock: 'local' }],
    ['waagent.log', '2026-12-02T14:26:39.123456Z INFO ExtHandler [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0] Executing command', { kind: 'waagent', clock: 'utc' }],
    ['a traceback line', 'Traceback (most recent call last):', { kind: 'other' }],
  ];
  for (const [name, line, expected] of cases) {
    it(name, () => {
      const classified = classifyLine(line);
      const { iso, clock, ...rest } = expected;
      for (const [key, value] of Object.entries(rest)) assert.deepEqual(classified[key as keyof typeof classified], value, key);
      if (iso) assert.equal(classified.time?.iso, iso);
      if (clock) assert.equal(classified.time?.clock, clock);
    });
  }

  it('waagent.log: the enable command names the run it starts', () => {
    const line = '2026-12-02T14:26:39.123456Z INFO ExtHandler [Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0] Executing command: /var/lib/waagent/Microsoft.Azure.RecoveryServices.VMSnapshotLinux-1.0.9225.0/main/handle.sh enable with environment variables: {"AZURE_GUEST_AGENT_EXTENSION_VERSION": "1.0.9225.0", "ConfigSequenceNumber": "12"}\n';
    const runs = explainLogs([{ path: 'waagent.log', text: line }]).runs;
    assert.equal(runs.length, 1);
    assert.equal(runs[0].key.sequenceNumber, 12);
    assert.equal(runs[0].finalCode, null);
  });
});
