/**
 * The dash checker reads shell, not lines: quotes, comments, here-documents, `bash -c '…'` and
 * helpers run by bash must not be reported, while a construct nested in `$(…)`, a function or a
 * loop must be. Every "clean" script here is also run under dash to prove it is clean.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkScript } from '../../server/src/engine/scripts';
import { parseShell } from '../../server/src/engine/scripts/shellSyntax';
import { describeDiagnostics, hasProgram, notPosix, runScript } from './scriptsTestSupport';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'unit', 'scriptsFixtures');
const fixture = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const dashPresent = hasProgram('dash');

function rulesByLine(script: string): string[] {
  return notPosix(script).map((d) => `${d.range.start.line}:${d.data?.rule}`);
}

describe('dash checker: no false positives', () => {
  test('a POSIX script full of bash-looking text in quotes, comments and here-documents', () => {
    const script = fixture('posix-clean.sh');
    assert.deepEqual(notPosix(script), [], describeDiagnostics(notPosix(script)));
  });

  test('the same script runs under dash without an error', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', fixture('posix-clean.sh'));
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });

  test('the wrapper pattern: helpers run by bash are not held to dash rules', () => {
    assert.deepEqual(check(fixture('wrapper.sh')), []);
  });

  test('the wrapper runs under dash, and its bash helper under bash', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', fixture('wrapper.sh'));
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
  });

  for (const [name, script] of [
    ['quoted', 'echo "[[ x ]]" \'source y\' "a=(1 2)" "{a,b}" "$HOME"\n'],
    ['comment', '# source foo; [[ x ]]; function f {\necho ok # |& <<< $\'x\'\n'],
    ['quoted heredoc', "cat <<'EOF'\n[[ x ]] ${x//a/b} $(<f)\nEOF\n"],
    ['tab heredoc', 'cat <<-EOF\n\t[[ x ]] function f {\n\tEOF\necho after\n'],
    ['escaped', 'echo \\[\\[ x \\]\\] \\{a,b\\}\n'],
    ['bash -c', "bash -c 'if [[ -n $1 ]]; then echo \"${1//a/b}\"; fi' _ abc\n"],
    ['argument words', 'echo [[ source let function select\n'],
    ['find braces', 'find . -name x -exec echo {} \\;\n'],
    ['a probed option', '(set -o pipefail) 2>/dev/null && set -o pipefail\nif (set -o pipefail) 2>/dev/null; then set -o pipefail; fi\ncase `(set -o) 2>/dev/null` in *pipefail*) set -o pipefail ;; esac\n'],
    ['posix expansions', 'x=ab; echo "${x#a}" "${x%b}" "${#x}" "${x:-d}" "${x:=e}" "${x:?f}" "${x:+g}" ${!} ${#}\n'],
  ] as const) {
    test(`nothing to report: ${name}`, () => {
      assert.deepEqual(rulesByLine(script), []);
    });
    test(`dash agrees: ${name}`, { skip: !dashPresent && 'dash is needed' }, () => {
      const run = runScript('dash', script);
      assert.equal(run.stderr, '');
      assert.equal(run.status, 0);
    });
  }
});

function check(script: string) {
  return checkScript(new TextEncoder().encode(script));
}

describe('dash checker: constructs in every position', () => {
  const nested: [string, string, string][] = [
    ['command substitution', 'x=$([[ -n a ]] && echo y)\n', '0:doubleBracket'],
    ['backquotes', 'x=`source ./lib`\n', '0:source'],
    ['in a quoted substitution', 'echo "$(echo ${x//a/b})"\n', '0:patternSubstitution'],
    ['function body', 'f() {\n  local -a list\n}\n', '1:localOption'],
    ['if condition', 'if [ a == a ]; then :; fi\n', '0:testDoubleEquals'],
    ['after &&', 'true && [[ -f x ]]\n', '0:doubleBracket'],
    ['negated', 'if ! [[ -f x ]]; then :; fi\n', '0:doubleBracket'],
    ['while body', 'while :; do\n  let i=i+1\n  break\ndone\n', '1:bashBuiltin'],
    ['case body', 'case x in\n  x) source ./a ;;\nesac\n', '1:source'],
    ['subshell', '( echo a |& cat )\n', '0:pipeAmp'],
    ['unquoted heredoc body', 'cat <<EOF\n${x//a/b}\nEOF\n', '1:patternSubstitution'],
    ['for list', 'for f in {a,b}.log; do :; done\n', '0:braceExpansion'],
    ['after a redirect', '>/dev/null source ./a\n', '0:source'],
    ['continued line', 'echo a \\\n  &>/dev/null\n', '1:ampRedirect'],
    ['arithmetic in arithmetic', 'echo $(( $((2 ** 3)) + 1 ))\n', '0:arithPower'],
  ];
  for (const [name, script, expected] of nested) {
    test(name, () => {
      assert.ok(rulesByLine(script).includes(expected), `${expected} in ${rulesByLine(script).join(', ')}`);
    });
  }

  test('an unquoted heredoc body with a bash expansion does stop dash', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', 'x=abc\ncat <<EOF\n${x//a/b}\nEOF\necho after\n');
    assert.match(run.stderr, /Bad substitution/);
  });

  test('a published bash pre-script: each line dash trips on is marked', () => {
    const rules = rulesByLine(fixture('published-pre.sh'));
    for (const expected of ['2:setPipefail', '4:functionKeyword', '7:doubleBracket', '11:arrayAssignment', '12:arrayExpansion', '15:pipeAmp']) {
      assert.ok(rules.includes(expected), `${expected} in ${rules.join(', ')}`);
    }
  });

  test('the published script stops at its first such line under dash', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', fixture('published-pre.sh'));
    assert.equal(run.status, 2);
    assert.match(run.stderr, /script\.sh: 3: set: Illegal option -o pipefail/);
  });

  test('`set -o pipefail` still ends dash behind `|| true` or in a working subshell', { skip: !dashPresent && 'dash is needed' }, () => {
    for (const script of ['set -o pipefail 2>/dev/null || true\necho after\n', '( set -o pipefail; echo inside ) 2>/dev/null\necho after\n']) {
      assert.ok(rulesByLine(script).includes('0:setPipefail'), script);
      const run = runScript('dash', script);
      assert.doesNotMatch(run.stdout, /inside/);
      if (script.startsWith('set')) assert.equal(run.stdout, '');
    }
  });

  test('any other `${…}` form stops dash with "Bad substitution" too', { skip: !dashPresent && 'dash is needed' }, () => {
    const script = 'x=a\necho ${x;y}\n';
    assert.ok(rulesByLine(script).includes('1:badSubstitution'));
    assert.match(runScript('dash', script).stderr, /script\.sh: 2: Bad substitution/);
  });

  test('a function named like a bash builtin is the script\'s own', () => {
    assert.deepEqual(rulesByLine('let() { :; }\nlet x\n'), []);
  });

  test('bash variables the script sets itself are not reported', () => {
    assert.deepEqual(rulesByLine('SECONDS=0\necho "$SECONDS"\n'), []);
  });
});

describe('shell reader', () => {
  test('knows commands, functions, compounds and their redirections', () => {
    const syntax = parseShell('f() {\n  echo in\n} >>log 2>&1\nf\nif true; then echo a | cat; fi >/dev/null\n');
    assert.deepEqual(syntax.functions.map((fn) => fn.name), ['f']);
    assert.deepEqual(syntax.commands.map((c) => c.words.map((w) => w.value).join(' ')), ['echo in', 'f', 'true', 'echo a', 'cat']);
    assert.equal(syntax.commands[3].pipedOut, true);
    const group = syntax.compounds.find((c) => c.kind === 'group');
    assert.deepEqual(group?.redirects.map((r) => `${r.fd ?? ''}${r.op}${r.target?.value}`), ['>>log', '2>&1']);
  });

  test('never throws and never loops on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        checkScript(new TextEncoder().encode(text));
      }),
      { numRuns: 500 },
    );
  });

  test('never throws on random mixes of shell tokens', () => {
    const token = fc.constantFrom(
      'echo', ' ', '\n', ';', '&', '|', '(', ')', '{', '}', '$(', '${', '`', "'", '"', '<<', 'EOF', '[[', ']]', '((', '))',
      'case', 'in', 'esac', ';;', 'if', 'then', 'fi', 'for', 'do', 'done', 'function', '#', '\\', '=', 'x', '<(', '$\'', '\r\n',
    );
    fc.assert(
      fc.property(fc.array(token, { maxLength: 60 }), (tokens) => {
        checkScript(new TextEncoder().encode(tokens.join('')));
      }),
      { numRuns: 1000 },
    );
  });
});
