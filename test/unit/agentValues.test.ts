import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnalysisResult } from '../../server/src/engine/analyze';
import { analyzeConfigText } from '../../server/src/engine/oneShot';

/** A loadable config with the two required keys, plus the given members (raw JSON text). */
function configWith(members: string): AnalysisResult {
  const extra = members ? `, ${members}` : '';
  return analyzeConfigText(`{"preScriptLocation": "/etc/azure/pre.sh", "postScriptLocation": "/etc/azure/post.sh"${extra}}`);
}

function find(result: AnalysisResult, code: string) {
  return result.diagnostics.find((diagnostic) => diagnostic.code === code);
}

describe('keys', () => {
  it('warns on a duplicate key and names the last one, which the agent keeps', () => {
    const result = analyzeConfigText('{\n"timeoutInSeconds": 60,\n"preScriptLocation": "/a",\n"postScriptLocation": "/b",\n"timeoutInSeconds": 90\n}');
    const duplicate = find(result, 'DuplicateKey');
    assert.ok(duplicate);
    assert.equal(duplicate.range.start.line, 1, 'on the ignored (first) occurrence');
    assert.match(duplicate.message, /line 5/);
    assert.equal(result.effective?.timeoutInSeconds, 90);
  });

  it('suggests the real key for a typo and for the wrong case', () => {
    const typo = analyzeConfigText('{"preScriptLocaton": "/a", "postScriptLocation": "/b"}');
    const unknown = find(typo, 'UnknownKey');
    assert.equal(unknown?.data?.suggestion, 'preScriptLocation');
    // The misspelt required key is missing as far as the agent is concerned.
    assert.equal(typo.outcome.code, 305);
    const lowerCase = configWith('"scriptsExecutionPollTimeSeconds": 5');
    assert.equal(find(lowerCase, 'UnknownKey')?.data?.suggestion, 'ScriptsExecutionPollTimeSeconds');
    assert.equal(lowerCase.effective?.pollSeconds, 3, 'the lower-case key is ignored');
  });

  it('ignores $schema and _comment keys silently, like the agent', () => {
    const result = configWith('"$schema": "x", "_comment": "y"');
    assert.deepEqual(result.diagnostics.filter((d) => d.severity !== 'information'), []);
  });

  it('stops at 1,000 findings, so that a pathological file cannot flood the editor', () => {
    const members = Array.from({ length: 3000 }, (_, index) => `"unknown${index}": ${index}`).join(', ');
    assert.equal(configWith(members).diagnostics.length, 1000);
  });

  it('flags the stale keys of early samples', () => {
    const result = configWith('"timeout": 30, "disableFsFreeze": true');
    assert.equal(result.diagnostics.filter((d) => d.code === 'StaleKey').length, 2);
  });

  it('reports a missing required key as IncorrectJSONConfigFile (305)', () => {
    for (const [text, key] of [
      ['{"postScriptLocation": "/b"}', 'preScriptLocation'],
      ['{"preScriptLocation": "/a"}', 'postScriptLocation'],
    ]) {
      const result = analyzeConfigText(text);
      const missing = result.diagnostics.find((d) => d.data?.rule === 'missingKey');
      assert.equal(missing?.code, 'IncorrectJSONConfigFile');
      assert.equal(missing?.data?.key, key);
      assert.equal(result.outcome.code, 305);
      assert.equal(result.outcome.silent, true);
    }
  });

  it('crashes the loader (304) on a top level that is not an object', () => {
    for (const text of ['[]', '"x"', '3']) {
      const result = analyzeConfigText(text);
      assert.equal(result.outcome.code, 304, text);
      assert.equal(result.outcome.name, 'FailedPrepostPluginhostConfigParsing');
      assert.equal(result.effective, null);
    }
  });
});

describe('timeoutInSeconds', () => {
  it('defaults to 10 s, not 30, and says so', () => {
    const result = configWith('');
    assert.equal(result.effective?.timeoutInSeconds, 10);
    assert.equal(result.effective?.timeoutLimitSeconds, 12, 'polled every 3 s: 4 polls');
    assert.equal(find(result, 'TimeoutDefault')?.severity, 'information');
  });

  it('is capped at 1800 s', () => {
    const result = configWith('"timeoutInSeconds": 3600');
    assert.equal(result.effective?.timeoutInSeconds, 1800);
    assert.equal(find(result, 'TimeoutCapped')?.severity, 'warning');
  });

  it('rounds up to whole poll intervals', () => {
    const result = configWith('"timeoutInSeconds": 10, "ScriptsExecutionPollTimeSeconds": 4');
    assert.equal(result.effective?.timeoutLimitSeconds, 12);
    assert.ok(find(result, 'TimeoutRounded'));
    assert.equal(configWith('"timeoutInSeconds": 30').effective?.timeoutLimitSeconds, 30);
  });

  it('as a string, null or a list crashes the loader: 304, silent', () => {
    for (const value of ['"60"', 'null', '[60]']) {
      const result = configWith(`"timeoutInSeconds": ${value}`);
      assert.equal(result.outcome.code, 304, value);
      assert.equal(result.outcome.silent, true);
      assert.equal(result.effective, null);
      assert.equal(find(result, 'IncorrectPluginhostFile')?.agentCode, 304);
    }
  });

  it('0, negatives, false and -Infinity time out at once (308)', () => {
    for (const value of ['0', '-5', 'false', '-Infinity']) {
      const result = configWith(`"timeoutInSeconds": ${value}`);
      assert.equal(result.outcome.code, 308, value);
      assert.equal(find(result, 'Pre-ScriptTimeout')?.severity, 'error');
    }
  });

  it('NaN never fires: scripts that exit 0 succeed, with a warning that only the host cap ends a hang; Infinity and 1E400 are capped', () => {
    const nan = configWith('"timeoutInSeconds": NaN');
    assert.equal(nan.outcome.code, 0);
    const warning = nan.diagnostics.find((d) => d.code === 'TimeoutNeverFires');
    assert.equal(warning?.severity, 'warning');
    assert.match(warning.message, /1800 s/);
    assert.equal(nan.effective?.timeoutLimitSeconds, null);
    assert.equal(configWith('"timeoutInSeconds": Infinity').effective?.timeoutInSeconds, 1800);
    assert.equal(configWith('"timeoutInSeconds": 1E400').effective?.timeoutInSeconds, 1800);
  });

  it('true counts as 1 s and a float is used as is', () => {
    assert.equal(configWith('"timeoutInSeconds": true').effective?.timeoutInSeconds, 1);
    assert.equal(configWith('"timeoutInSeconds": 2.5').effective?.timeoutInSeconds, 2.5);
  });
});

describe('ScriptsExecutionPollTimeSeconds', () => {
  it('uses 1 to 5 and silently ignores anything else', () => {
    assert.equal(configWith('"ScriptsExecutionPollTimeSeconds": 5').effective?.pollSeconds, 5);
    for (const value of ['0', '6', '-1', '0.5']) {
      const result = configWith(`"ScriptsExecutionPollTimeSeconds": ${value}`);
      assert.equal(result.effective?.pollSeconds, 3, value);
      assert.equal(find(result, 'PollTimeIgnored')?.severity, 'warning', value);
    }
  });

  it('truncates floats and converts numeric strings with int()', () => {
    const float = configWith('"ScriptsExecutionPollTimeSeconds": 2.5');
    assert.equal(float.effective?.pollSeconds, 2);
    assert.equal(find(float, 'PollTimeTruncated')?.data?.value, 2);
    assert.equal(configWith('"ScriptsExecutionPollTimeSeconds": "4"').effective?.pollSeconds, 4);
  });

  it('fails the load on what int() rejects: "abc" is 305, null and Infinity are 304', () => {
    assert.equal(configWith('"ScriptsExecutionPollTimeSeconds": "abc"').outcome.code, 305);
    assert.equal(configWith('"ScriptsExecutionPollTimeSeconds": null').outcome.code, 304);
    assert.equal(configWith('"ScriptsExecutionPollTimeSeconds": Infinity').outcome.code, 304);
  });
});

describe('script parameters', () => {
  it('passes each element through str(), as Python prints it', () => {
    const result = configWith('"preScriptParams": ["a", "", true, null, 2, 2.0, 1e16, 0.0001, {"k": [1, "v"]}]');
    assert.deepEqual(result.effective?.preScriptArgv, ['sh', '/etc/azure/pre.sh', 'a', '', 'True', 'None', '2', '2.0', '1e+16', '0.0001', "{'k': [1, 'v']}"]);
    assert.equal(find(result, 'EmptyParam')?.severity, 'hint');
    assert.equal(result.diagnostics.filter((d) => d.code === 'ParamConverted').length, 7, 'every element that is not a string');
  });

  it('splits a string into one argument per character', () => {
    const result = configWith('"postScriptParams": "-v"');
    assert.deepEqual(result.effective?.postScriptArgv, ['sh', '/etc/azure/post.sh', '-', 'v']);
    assert.equal(find(result, 'ParamsSplitIntoCharacters')?.severity, 'error');
  });

  it('passes only the keys of an object', () => {
    assert.deepEqual(configWith('"preScriptParams": {"x": 1, "y": 2}').effective?.preScriptArgv, ['sh', '/etc/azure/pre.sh', 'x', 'y']);
  });

  it('crashes the run thread on a number, null or boolean: 310 for pre, 311 for post', () => {
    for (const value of ['5', 'null', 'true']) {
      const pre = configWith(`"preScriptParams": ${value}`);
      assert.equal(pre.outcome.code, 310, value);
      assert.equal(pre.effective?.preScriptArgv, null);
      assert.equal(configWith(`"postScriptParams": ${value}`).outcome.code, 311, value);
    }
  });

  it('crashes on a NUL character in an argument', () => {
    assert.equal(configWith('"preScriptParams": ["a\\u0000b"]').outcome.code, 310);
  });
});

describe('retries, booleans and pluginName', () => {
  it('retries have no effect: the agent never re-runs a script', () => {
    const result = configWith('"preScriptNoOfRetries": 3, "postScriptNoOfRetries": 0');
    assert.equal(result.effective?.preScriptNoOfRetries, 0);
    assert.equal(result.diagnostics.filter((d) => d.code === 'RetriesHaveNoEffect').length, 1, 'only the non-zero one');
  });

  it('a string retry count crashes the run thread when the script fails', () => {
    const diagnostic = find(configWith('"postScriptNoOfRetries": "2"'), 'AgentRunThreadCrash');
    assert.equal(diagnostic?.agentCode, 311);
  });

  it('continueBackupOnFailure: only booleans and 0/1 behave', () => {
    assert.equal(configWith('').effective?.continueBackupOnFailure, true);
    assert.equal(configWith('"continueBackupOnFailure": false').effective?.continueBackupOnFailure, false);
    const zero = configWith('"continueBackupOnFailure": 0');
    assert.equal(zero.effective?.continueBackupOnFailure, false);
    assert.equal(find(zero, 'NotABoolean')?.severity, 'warning');
    const text = configWith('"continueBackupOnFailure": "false"');
    assert.equal(find(text, 'BackupFails')?.severity, 'error');
    assert.equal(find(text, 'BackupFails')?.data?.replacement, false);
    assert.equal(find(configWith('"continueBackupOnFailure": 2'), 'BackupFails')?.severity, 'error');
  });

  it('fsFreezeEnabled is read for truthiness', () => {
    assert.equal(configWith('"fsFreezeEnabled": "false"').effective?.fsFreezeEnabled, true);
    assert.equal(configWith('"fsFreezeEnabled": 0').effective?.fsFreezeEnabled, false);
    const none = configWith('"fsFreezeEnabled": null');
    assert.equal(none.effective?.fsFreezeEnabled, false);
    assert.match(find(none, 'NotABoolean')?.message ?? '', /crash-consistent/);
  });

  it('pluginName that is not a string crashes the run thread (310)', () => {
    assert.equal(configWith('"pluginName": 7').outcome.code, 310);
    assert.equal(configWith('"pluginName": null').outcome.code, 310);
    assert.equal(configWith('"pluginName": "ScriptRunner"').outcome.code, 0);
  });

  it('a relative script path is not found (302/303)', () => {
    const pre = analyzeConfigText('{"preScriptLocation": "pre.sh", "postScriptLocation": "/b"}');
    assert.equal(pre.outcome.code, 302);
    assert.equal(find(pre, 'Pre-ScriptNotFound')?.data?.rule, 'relativePath');
    assert.equal(analyzeConfigText('{"preScriptLocation": "/a", "postScriptLocation": "./post.sh"}').outcome.code, 303);
  });

  it('checks other types against the schema, with exact ranges', () => {
    const text = '{"preScriptLocation": "/a", "postScriptLocation": "/b", "appName": 55}';
    const invalid = find(analyzeConfigText(text), 'InvalidValue');
    assert.ok(invalid);
    assert.equal(invalid.range.start.character, text.indexOf('55'));
    assert.equal(invalid.range.end.character, text.indexOf('55') + 2);
  });
});

describe('agent truths of the loader (issue 9)', () => {
  for (const value of ['null', '5', '["/etc/azure/pre.sh"]']) {
    it(`preScriptLocation ${value}: 304, the loader crashes before any script check`, () => {
      const result = analyzeConfigText(`{"preScriptLocation": ${value}, "postScriptLocation": "/b"}`);
      assert.equal(result.outcome.code, 304);
      assert.equal(result.effective, null);
      assert.deepEqual(result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.data?.rule]), [['IncorrectPluginhostFile', 'locationType']]);
    });
  }

  it('a non-string pluginName with a missing required key: 304 (the error handler crashes); with both keys present: 310', () => {
    assert.equal(analyzeConfigText('{"pluginName": 3, "preScriptLocation": "/a"}').outcome.code, 304);
    assert.equal(analyzeConfigText('{"pluginName": "ScriptRunner", "preScriptLocation": "/a"}').outcome.code, 305);
    assert.equal(analyzeConfigText('{"pluginName": 3, "preScriptLocation": "/a", "postScriptLocation": "/b"}').outcome.code, 310);
  });
});
