/** "Did you mean": the edit distance behind it, and the key it suggests for a typo. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { suggestKey } from '../../server/src/engine/checks/keyChecks';
import { editDistance } from '../../server/src/engine/text/editDistance';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('flaw', 'lawn'), 2);
    assert.equal(editDistance('timeoutinseconds', 'timeoutinseconds'), 0);
    assert.equal(editDistance('ab', 'ba'), 2, 'a swap is two edits, not one');
  });

  it('is symmetric', () => {
    for (const [a, b] of [['preScriptLocaton', 'preScriptLocation'], ['pluginname', 'pluginName'], ['x', 'fsFreezeEnabled']]) {
      assert.equal(editDistance(a, b), editDistance(b, a));
    }
  });
});

describe('suggestKey', () => {
  it('suggests the key a typo or another case meant, and nothing for a word far from every key', () => {
    assert.equal(suggestKey('preScriptLocaton'), 'preScriptLocation');
    assert.equal(suggestKey('TimeoutInSeconds'), 'timeoutInSeconds');
    assert.equal(suggestKey('fsFreezeEnable'), 'fsFreezeEnabled');
    assert.equal(suggestKey('databaseName'), undefined);
  });

  it('answers the same the second time (remembered) as the first (worked out)', () => {
    const first = ['postScriptLocatoin', 'continueBackupOnFailur', 'zzz'].map((key) => suggestKey(key));
    const second = ['postScriptLocatoin', 'continueBackupOnFailur', 'zzz'].map((key) => suggestKey(key));
    assert.deepEqual(second, first);
    assert.deepEqual(first, ['postScriptLocation', 'continueBackupOnFailure', undefined]);
  });
});
