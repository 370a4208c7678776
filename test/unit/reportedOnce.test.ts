/**
 * One problem, one report (issue 16): ShellCheck's finding about the same bash-only construct as
 * the dash checker is folded into ours; a finding of an agent failure that the agent never
 * reaches says where it stops; the config's summary of a script names the script once.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { analyzeConfigFile, analyzeConfigText } from '../../server/src/engine';
import { ShellCheckScheduler } from '../../server/src/engine/scripts';
import { nodeProgramRunner, realClock } from '../../server/src/engine/service/processes';
import { CONFIG_PATH, VmRoot } from '../helpers/vmRoot';
import { hasProgram } from './scriptsTestSupport';

const needsShellcheck = { skip: !hasProgram('shellcheck') && 'shellcheck is not installed (CI installs it from Debian)' };

describe('ShellCheck and the dash checker report a construct once', () => {
  test('`function f {` and `${a[@]}`: ours, naming SC2113 and SC2145; ShellCheck\'s other findings stay', needsShellcheck, async () => {
    const script = '#!/bin/sh\nfunction f {\n  echo "all: ${targets[@]}"\n}\nf\n';
    const found = (await new ShellCheckScheduler(nodeProgramRunner, realClock).check({ bytes: new TextEncoder().encode(script), shellcheckPath: 'shellcheck' }))!;
    const codes = found.map((d) => `${d.range.start.line}:${d.code}`);
    assert.ok(!codes.includes('1:SC2113') && !codes.includes('2:SC2145'), codes.join(' '));
    const functionLine = found.filter((d) => d.range.start.line === 1);
    assert.deepEqual(functionLine.map((d) => d.code), ['ScriptNotPosix']);
    assert.match(functionLine[0].message, /\(ShellCheck also flags it: SC2113\)$/);
    assert.match(found.find((d) => d.range.start.line === 2 && d.code === 'ScriptNotPosix')!.message, /SC2145/);
    // Not about the construct: `targets` is never assigned, which ShellCheck alone says.
    assert.ok(codes.includes('2:SC2154'), codes.join(' '));
  });
});

describe('findings after the failure the agent reports', () => {
  test('a string timeout (304) comes before a missing key (305) in get_config: the 305 finding says so, the 304 one does not', () => {
    const result = analyzeConfigText('{\n  "preScriptLocation": "/a",\n  "timeoutInSeconds": "60"\n}\n', { fileChecks: 'off' });
    assert.equal(result.outcome.code, 304);
    const missing = result.diagnostics.find((d) => d.agentCode === 305)!;
    assert.match(missing.message, /The agent stops before this, at 304 IncorrectPluginhostFile: this failure follows once that is fixed\.$/);
    assert.equal(missing.data?.preemptedBy, 304);
    assert.doesNotMatch(result.diagnostics.find((d) => d.agentCode === 304)!.message, /stops before this/);
    assert.deepEqual(result.failures.map((f) => f.agentCode).sort(), [304, 305]);
  });

  test('failures with the reported code carry no note', () => {
    const result = analyzeConfigText('{\n  // a\n  "preScriptLocation": "/a",\n}\n', { fileChecks: 'off' });
    assert.equal(result.outcome.code, 305);
    assert.ok(result.diagnostics.every((d) => !/stops before this/.test(d.message)));
  });
});

describe('the config\'s summary of a script', () => {
  const vm = new VmRoot();
  after(() => vm.remove());

  test('names the script once, and flags CRLF for the config-side fix', () => {
    const script = vm.write('/etc/azure/pre-script.sh', { content: '#!/bin/sh\r\nif true; then\r\n  exit 0\r\nfi\r\n', mode: 0o700 });
    vm.writeScripts('/etc/azure/post-script.sh');
    const config = vm.write(CONFIG_PATH, { content: '{"preScriptLocation": "/etc/azure/pre-script.sh", "postScriptLocation": "/etc/azure/post-script.sh"}' });
    const summary = analyzeConfigFile(config, { fileChecks: 'auto' }).diagnostics.find((d) => d.code === 'Pre-ScriptExecutionFailed')!;
    assert.equal(summary.message.split(script).length - 1, 1, summary.message);
    assert.equal(summary.data?.crlf, true);
  });
});
