/**
 * The agent's rules the rehearsal applies, without processes: its poll loop against a fake clock
 * (to the millisecond, which real time cannot show), and its decision table after the scripts
 * (agent-config-files.md §5, run with the agent's own code).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EffectiveValues } from '../../server/src/engine';
import { verdictAfterScripts, PhaseResult } from '../../server/src/engine/rehearse';
import type { Clock, LaunchedProcess, ProcessLauncher } from '../../server/src/engine/rehearse';
import { runPhase } from '../../server/src/engine/rehearse/runPhase';

/** A clock that only moves when slept on, and a process that ends at a chosen moment of it. */
function fakeWorld(endsAtMs: number | null, exitCode = 0): { clock: Clock; launcher: ProcessLauncher; polls: number[] } {
  let now = 0;
  const polls: number[] = [];
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
  };
  const ended = (): boolean => endsAtMs !== null && now >= endsAtMs;
  const process: LaunchedProcess = {
    pid: 42,
    returnCode: () => (ended() ? exitCode : null),
    poll: async () => {
      polls.push(now);
      return ended() ? exitCode : null;
    },
    ended: new Promise(() => undefined),
    endedAt: () => (ended() ? endsAtMs : null),
    readPipes: () => ({ stdout: new Uint8Array(), stderr: new Uint8Array() }),
    release: () => undefined,
  };
  return { clock, polls, launcher: { launch: () => process } };
}

async function run(endsAtMs: number | null, timeoutSeconds: number, pollSeconds: number, exitCode = 0) {
  const world = fakeWorld(endsAtMs, exitCode);
  const result = await runPhase(['sh', 'x'], { cwd: '/', env: {} }, { timeoutSeconds, pollSeconds, maxWaitSeconds: 0 }, world.launcher, world.clock);
  return { ...result, polls: world.polls };
}

describe('the agent\'s poll loop', () => {
  it('default timeout 10 s, poll 3 s: polls at 0, 3, 6, 9, 12 and times out at 12 s, not 10', async () => {
    const phase = await run(null, 10, 3);
    assert.equal(phase.result, 'timedout');
    assert.deepEqual(phase.polls, [0, 3000, 6000, 9000, 12000]);
    assert.equal(phase.agentDoneAt, 12000);
  });

  it('a script ending at 11.9 s under a 10 s timeout succeeds: the agent has not looked yet', async () => {
    assert.equal((await run(11_900, 10, 3)).result, 'success');
  });

  it('a script ending at 12.1 s times out', async () => {
    assert.equal((await run(12_100, 10, 3)).result, 'timedout');
  });

  it('the end is seen at the next poll, not when it happens', async () => {
    const phase = await run(500, 10, 3);
    assert.deepEqual([phase.result, phase.agentDoneAt], ['success', 3000]);
  });

  it('a timeout of 0 or less times out at the first poll, at once', async () => {
    for (const timeout of [0, -5]) {
      const phase = await run(100, timeout, 3);
      assert.deepEqual([phase.result, phase.polls], ['timedout', [0]]);
    }
  });

  it('a 2.5 s timeout with a 1 s poll gives 3 s', async () => {
    assert.equal((await run(2_900, 2.5, 1)).result, 'success');
    assert.equal((await run(3_100, 2.5, 1)).result, 'timedout');
  });

  it('any non-zero exit is a failure', async () => {
    assert.equal((await run(10, 10, 3, 2)).result, 'failed');
    assert.equal((await run(10, 10, 3, -15)).result, 'failed');
  });
});

/** The agent's values for a config with only the scripts set; each row changes the two switches. */
const DEFAULTS: EffectiveValues = {
  timeoutInSeconds: 10,
  pollSeconds: 3,
  timeoutLimitSeconds: 12,
  hostCapSeconds: 1800,
  preScriptNoOfRetries: 0,
  postScriptNoOfRetries: 0,
  continueBackupOnFailure: true,
  fsFreezeEnabled: true,
  preScriptArgv: ['sh', '/etc/azure/pre.sh'],
  postScriptArgv: ['sh', '/etc/azure/post.sh'],
};

describe('what the agent reports after the scripts', () => {
  const on = { continueBackupOnFailure: true, fsFreezeEnabled: true };
  const rows: Array<[PhaseResult, PhaseResult, { continueBackupOnFailure: boolean; fsFreezeEnabled: boolean }, number, string, boolean]> = [
    ['success', 'success', on, 0, 'application', true],
    ['success', 'success', { continueBackupOnFailure: true, fsFreezeEnabled: false }, 0, 'application', true],
    ['failed', 'success', on, 300, 'file-system', true],
    ['timedout', 'success', on, 308, 'file-system', true],
    ['success', 'failed', on, 301, 'file-system', true],
    ['success', 'timedout', on, 309, 'file-system', true],
    ['failed', 'failed', on, 300, 'file-system', true],
    ['failed', 'success', { continueBackupOnFailure: false, fsFreezeEnabled: true }, 300, 'none', false],
    ['success', 'failed', { continueBackupOnFailure: false, fsFreezeEnabled: true }, 301, 'none', true],
    ['failed', 'success', { continueBackupOnFailure: true, fsFreezeEnabled: false }, 300, 'none', false],
    ['success', 'failed', { continueBackupOnFailure: true, fsFreezeEnabled: false }, 301, 'none', true],
  ];
  for (const [pre, post, switches, code, consistency, snapshot] of rows) {
    it(`pre ${pre}, post ${post}, continueBackupOnFailure ${switches.continueBackupOnFailure}, fsFreezeEnabled ${switches.fsFreezeEnabled}: ${code}, ${consistency}`, () => {
      const effective: EffectiveValues = { ...DEFAULTS, ...switches };
      const verdict = verdictAfterScripts(pre, post, effective);
      assert.deepEqual([verdict.agent.code, verdict.consistency, verdict.snapshot], [code, consistency, snapshot]);
    });
  }
});
