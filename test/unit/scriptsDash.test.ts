/**
 * One case per construct the dash checker reports. Each case proves three things with real
 * shells: bash runs the script as its author meant (`expected` output); dash fails or prints
 * something else; and the script rewritten without the construct prints `expected` under dash.
 * Only then is the checker's verdict (rule, line, severity) asserted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bashOnlyBuiltins, bashOnlyVariables, dashSetFlags, dashSetOptions } from '../../server/src/engine/scripts/posixChecker';
import { describeDiagnostics, hasProgram, notPosix, runScript } from './scriptsTestSupport';

interface ConstructCase {
  rule: string;
  /** The script as a bash user writes it. */
  bad: string;
  /** The same script without the construct. */
  good: string;
  /** What the author meant: bash's output for `bad`, dash's for `good`. */
  expected: string;
  /** A text on the line that must carry the diagnostic. */
  at: string;
  /** `error`: dash reports an error; `silent`: dash runs on and prints something else. */
  dash: 'error' | 'silent';
  severity?: 'error' | 'warning';
  stdin?: string;
}

const cases: ConstructCase[] = [
  { rule: 'doubleBracket', bad: 'if [[ -n "$PATH" ]]; then echo yes; else echo no; fi\n', good: 'if [ -n "$PATH" ]; then echo yes; else echo no; fi\n', expected: 'yes\n', at: '[[', dash: 'error' },
  { rule: 'doubleBracket', bad: 'x=1\nwhile [[ $x -lt 3 ]]; do x=$((x + 1)); done\necho "$x"\n', good: 'x=1\nwhile [ $x -lt 3 ]; do x=$((x + 1)); done\necho "$x"\n', expected: '3\n', at: '[[', dash: 'error' },
  { rule: 'functionKeyword', bad: 'function greet {\n  echo hi\n}\ngreet\n', good: 'greet() {\n  echo hi\n}\ngreet\n', expected: 'hi\n', at: 'function', dash: 'error' },
  { rule: 'functionKeyword', bad: 'function greet() { echo hi; }\ngreet\n', good: 'greet() { echo hi; }\ngreet\n', expected: 'hi\n', at: 'function', dash: 'error' },
  { rule: 'select', bad: 'select x in a b; do echo "$x"; break; done\n', good: 'for x in a; do echo "$x"; break; done\n', expected: 'a\n', at: 'select', dash: 'error', stdin: '1\n' },
  { rule: 'arithCommand', bad: 'x=1\n((x = x + 2))\necho "$x"\n', good: 'x=1\nx=$((x + 2))\necho "$x"\n', expected: '3\n', at: '((', dash: 'error' },
  { rule: 'arithCommand', bad: 'x=1\n((x=5))\necho "$x"\n', good: 'x=1\nx=5\necho "$x"\n', expected: '5\n', at: '((', dash: 'silent' },
  { rule: 'cStyleFor', bad: 'for ((i = 0; i < 3; i++)); do echo "$i"; done\n', good: 'i=0\nwhile [ "$i" -lt 3 ]; do echo "$i"; i=$((i + 1)); done\n', expected: '0\n1\n2\n', at: 'for', dash: 'error' },
  { rule: 'pipeAmp', bad: 'ls /nonexistent |& wc -l\n', good: 'ls /nonexistent 2>&1 | wc -l\n', expected: '1\n', at: '|&', dash: 'error' },
  { rule: 'ampRedirect', bad: 'echo hidden &> /dev/null; wait\necho shown\n', good: 'echo hidden >/dev/null 2>&1; wait\necho shown\n', expected: 'shown\n', at: '&>', dash: 'silent' },
  { rule: 'ampRedirect', bad: 'echo x &>> log; wait\necho "log:$(cat log)"\n', good: 'echo x >>log 2>&1; wait\necho "log:$(cat log)"\n', expected: 'log:x\n', at: '&>>', dash: 'silent' },
  { rule: 'hereString', bad: 'cat <<< "hi"\n', good: 'printf \'%s\\n\' hi | cat\n', expected: 'hi\n', at: '<<<', dash: 'error' },
  { rule: 'dupToFile', bad: 'echo hi >& out.txt\ncat out.txt\n', good: 'echo hi >out.txt 2>&1\ncat out.txt\n', expected: 'hi\n', at: '>&', dash: 'error' },
  { rule: 'caseFallthrough', bad: 'case a in\n  a) echo 1 ;&\n  b) echo 2 ;;\nesac\n', good: 'case a in\n  a) echo 1; echo 2 ;;\n  b) echo 2 ;;\nesac\n', expected: '1\n2\n', at: ';&', dash: 'error' },
  { rule: 'caseFallthrough', bad: 'case ab in\n  a*) echo 1 ;;&\n  *b) echo 2 ;;\nesac\n', good: 'case ab in\n  a*) echo 1; echo 2 ;;\nesac\n', expected: '1\n2\n', at: ';;&', dash: 'error' },
  { rule: 'arrayAssignment', bad: 'set -- x\narr=(a b c)\necho "$1"\n', good: 'set -- x\narr="a b c"\necho "$1"\n', expected: 'x\n', at: 'arr=', dash: 'error' },
  { rule: 'arrayAssignment', bad: 'f() { local arr=(x y); echo ok; }\nf\n', good: 'f() { local arr="x y"; echo ok; }\nf\n', expected: 'ok\n', at: 'arr=', dash: 'error' },
  { rule: 'arrayElementAssignment', bad: 'a[0]=x\necho done\n', good: 'a0=x\necho done\n', expected: 'done\n', at: 'a[0]', dash: 'error' },
  { rule: 'appendAssignment', bad: 'x=a\nx+=b\necho "$x"\n', good: 'x=a\nx="${x}b"\necho "$x"\n', expected: 'ab\n', at: '+=', dash: 'error' },
  { rule: 'processSubstitution', bad: 'cat <(echo hi)\n', good: 'echo hi | cat\n', expected: 'hi\n', at: '<(', dash: 'error' },
  { rule: 'extglob', bad: 'shopt -s extglob\nmkdir d; touch d/a.txt d/b.log\nls d/!(*.log)\n', good: 'mkdir d; touch d/a.txt d/b.log\nls d/a.txt\n', expected: 'd/a.txt\n', at: '!(', dash: 'error' },
  { rule: 'namedFd', bad: 'exec {fd}>out.txt\necho hi >&"$fd"\ncat out.txt\n', good: 'exec 3>out.txt\necho hi >&3\ncat out.txt\n', expected: 'hi\n', at: '{fd}', dash: 'error' },
  { rule: 'coproc', bad: 'coproc { echo hi; }\nwait\necho end\n', good: 'wait\necho end\n', expected: 'end\n', at: 'coproc', dash: 'error' },
  { rule: 'dollarFileRead', bad: 'printf \'hello\\n\' > f.txt\nx=$(<f.txt)\necho "$x"\n', good: 'printf \'hello\\n\' > f.txt\nx=$(cat f.txt)\necho "$x"\n', expected: 'hello\n', at: '$(<', dash: 'silent' },
  { rule: 'ansiCQuote', bad: 'x=$\'a\\tb\'\necho "${#x}"\n', good: 'x=$(printf \'a\\tb\')\necho "${#x}"\n', expected: '3\n', at: '$\'', dash: 'silent' },
  { rule: 'localeString', bad: 'echo $"hello"\n', good: 'echo "hello"\n', expected: 'hello\n', at: '$"', dash: 'silent' },
  { rule: 'oldArithmetic', bad: 'echo $[1 + 2]\n', good: 'echo $((1 + 2))\n', expected: '3\n', at: '$[', dash: 'silent' },
  { rule: 'braceExpansion', bad: 'echo {a,b}\n', good: 'echo a b\n', expected: 'a b\n', at: '{a,b}', dash: 'silent' },
  { rule: 'braceExpansion', bad: 'for i in {1..3}; do echo "$i"; done\n', good: 'for i in 1 2 3; do echo "$i"; done\n', expected: '1\n2\n3\n', at: '{1..3}', dash: 'silent' },
  { rule: 'braceExpansion', bad: 'mkdir -p d/{x,y}\nls d\n', good: 'mkdir -p d/x d/y\nls d\n', expected: 'x\ny\n', at: '{x,y}', dash: 'silent' },
  { rule: 'braceExpansion', bad: 'echo a > f\ncp f{,.bak}\nls f*\n', good: 'echo a > f\ncp f f.bak\nls f*\n', expected: 'f\nf.bak\n', at: '{,.bak}', dash: 'error' },
  { rule: 'indirectExpansion', bad: 'y=hi\nx=y\necho "${!x}"\n', good: 'y=hi\nx=y\neval "echo \\"\\$$x\\""\n', expected: 'hi\n', at: '${!', dash: 'error' },
  { rule: 'arrayExpansion', bad: 'x=a\necho "${x[0]}"\n', good: 'x=a\necho "$x"\n', expected: 'a\n', at: '${x[0]}', dash: 'error' },
  { rule: 'arrayExpansion', bad: 'set -- a b\necho "${#x[@]}"\n', good: 'set -- a b\necho 0\n', expected: '0\n', at: '${#x[@]}', dash: 'error' },
  { rule: 'substring', bad: 'x=abcd\necho "${x:1:2}"\n', good: 'x=abcd\necho "$x" | cut -c2-3\n', expected: 'bc\n', at: '${x:1:2}', dash: 'error' },
  { rule: 'patternSubstitution', bad: 'x=abc\necho "${x/b/X}"\n', good: 'x=abc\necho "$x" | sed s/b/X/\n', expected: 'aXc\n', at: '${x/', dash: 'error' },
  { rule: 'patternSubstitution', bad: 'x=abcb\necho ${x//b/X}\n', good: 'x=abcb\necho "$x" | sed s/b/X/g\n', expected: 'aXcX\n', at: '${x//', dash: 'error' },
  { rule: 'caseModification', bad: 'x=abc\necho "${x^^}"\n', good: 'x=abc\necho "$x" | tr a-z A-Z\n', expected: 'ABC\n', at: '${x^^}', dash: 'error' },
  { rule: 'transformation', bad: 'x=abc\necho "${x@Q}"\n', good: 'x=abc\necho "\'$x\'"\n', expected: "'abc'\n", at: '${x@Q}', dash: 'error' },
  { rule: 'arithPower', bad: 'echo $((2 ** 3))\n', good: 'echo $((2 * 2 * 2))\n', expected: '8\n', at: '**', dash: 'error' },
  { rule: 'arithIncrement', bad: 'x=1\necho $((x++)) $x\n', good: 'x=1\necho $x $((x = x + 1))\n', expected: '1 2\n', at: 'x++', dash: 'error' },
  { rule: 'arithIncrement', bad: 'x=1\n: $((++x))\necho "$x"\n', good: 'x=1\n: $((x = x + 1))\necho "$x"\n', expected: '2\n', at: '++x', dash: 'silent' },
  { rule: 'arithBase', bad: 'echo $((16#ff))\n', good: 'echo $((0xff))\n', expected: '255\n', at: '16#', dash: 'error' },
  { rule: 'source', bad: 'echo "echo sourced" > lib.sh\nsource ./lib.sh\n', good: 'echo "echo sourced" > lib.sh\n. ./lib.sh\n', expected: 'sourced\n', at: 'source ./', dash: 'error' },
  { rule: 'bashBuiltin', bad: 'let x=1+2\necho "$x"\n', good: 'x=$((1 + 2))\necho "$x"\n', expected: '3\n', at: 'let', dash: 'error' },
  { rule: 'bashBuiltin', bad: 'declare x=5\necho "$x"\n', good: 'x=5\necho "$x"\n', expected: '5\n', at: 'declare', dash: 'error' },
  { rule: 'bashBuiltin', bad: 'typeset -r x=5\necho "$x"\n', good: 'readonly x=5\necho "$x"\n', expected: '5\n', at: 'typeset', dash: 'error' },
  { rule: 'bashBuiltin', bad: 'pushd /tmp >/dev/null\npwd\n', good: 'cd /tmp\npwd\n', expected: '/tmp\n', at: 'pushd', dash: 'error' },
  { rule: 'bashBuiltin', bad: 'printf \'a\\nb\\n\' > f\nmapfile -t lines < f\necho done\n', good: 'printf \'a\\nb\\n\' > f\necho done\n', expected: 'done\n', at: 'mapfile', dash: 'error' },
  { rule: 'testDoubleEquals', bad: 'if [ "a" == "a" ]; then echo same; else echo differ; fi\n', good: 'if [ "a" = "a" ]; then echo same; else echo differ; fi\n', expected: 'same\n', at: '==', dash: 'error' },
  { rule: 'testDoubleEquals', bad: 'test abc == abc && echo same\n', good: 'test abc = abc && echo same\n', expected: 'same\n', at: '==', dash: 'error' },
  { rule: 'testUnaryA', bad: 'if [ -a /etc/passwd ]; then echo exists; fi\n', good: 'if [ -e /etc/passwd ]; then echo exists; fi\n', expected: 'exists\n', at: '-a', dash: 'error' },
  { rule: 'testUnaryA', bad: 'if [ ! -a /nonexistent ]; then echo missing; fi\n', good: 'if [ ! -e /nonexistent ]; then echo missing; fi\n', expected: 'missing\n', at: '-a', dash: 'error' },
  { rule: 'testIsSet', bad: 'x=1\nif [ -v x ]; then echo set; fi\n', good: 'x=1\nif [ -n "${x+set}" ]; then echo set; fi\n', expected: 'set\n', at: '-v', dash: 'error' },
  { rule: 'testOption', bad: 'set -e\nif [ -o errexit ]; then echo on; fi\n', good: 'set -e\ncase $- in *e*) echo on ;; esac\n', expected: 'on\n', at: '-o errexit', dash: 'error' },
  { rule: 'setPipefail', bad: 'set -o pipefail\necho ok\n', good: 'echo ok\n', expected: 'ok\n', at: 'pipefail', dash: 'error' },
  { rule: 'setPipefail', bad: 'set -euo pipefail\necho ok\n', good: 'set -eu\necho ok\n', expected: 'ok\n', at: 'pipefail', dash: 'error' },
  { rule: 'setPipefail', bad: 'set -Eeuo pipefail\necho ok\n', good: 'set -Eeu\necho ok\n', expected: 'ok\n', at: 'pipefail', dash: 'error' },
  { rule: 'setOption', bad: 'set -o errtrace\necho ok\n', good: 'echo ok\n', expected: 'ok\n', at: 'errtrace', dash: 'error' },
  { rule: 'setFlag', bad: 'set -eT\necho ok\n', good: 'set -e\necho ok\n', expected: 'ok\n', at: '-eT', dash: 'error' },
  { rule: 'localOption', bad: 'f() { local -r x=1; echo "$x"; }\nf\n', good: 'f() { local x=1; echo "$x"; }\nf\n', expected: '1\n', at: '-r', dash: 'error' },
  { rule: 'localOption', bad: 'f() { local -a list; echo ok; }\nf\n', good: 'f() { local list; echo ok; }\nf\n', expected: 'ok\n', at: '-a', dash: 'error' },
  { rule: 'builtinOption', bad: 'f() { echo hi; }\nexport -f f\necho ok\n', good: 'f() { echo hi; }\necho ok\n', expected: 'ok\n', at: 'export', dash: 'error' },
  { rule: 'builtinOption', bad: 'read -s x <<EOF\nsecret\nEOF\necho "$x"\n', good: 'read -r x <<EOF\nsecret\nEOF\necho "$x"\n', expected: 'secret\n', at: 'read', dash: 'error' },
  { rule: 'builtinOption', bad: 'read -t 5 x <<EOF\nvalue\nEOF\necho "$x"\n', good: 'read x <<EOF\nvalue\nEOF\necho "$x"\n', expected: 'value\n', at: 'read', dash: 'error' },
  { rule: 'builtinOption', bad: 'printf -v x \'%s\' hi\necho "$x"\n', good: 'x=$(printf \'%s\' hi)\necho "$x"\n', expected: 'hi\n', at: 'printf', dash: 'error' },
  { rule: 'builtinOption', bad: 'sleep 0 &\nwait -n\necho "status $?"\n', good: 'sleep 0 &\nwait\necho "status $?"\n', expected: 'status 0\n', at: 'wait', dash: 'error' },
  { rule: 'builtinOption', bad: 'type -p sh\n', good: 'command -v sh\n', expected: '/usr/bin/sh\n', at: 'type', dash: 'error' },
  { rule: 'printfFormat', bad: 'printf \'%q\\n\' \'a b\'\n', good: 'printf \'%s\\n\' \'a\\ b\'\n', expected: 'a\\ b\n', at: '%q', dash: 'error' },
  { rule: 'killSignal', bad: 'sleep 1 &\nkill -SIGTERM $!\nwait $! 2>/dev/null\necho "status $?"\n', good: 'sleep 1 &\nkill -TERM $!\nwait $! 2>/dev/null\necho "status $?"\n', expected: 'status 143\n', at: 'kill', dash: 'error' },
  { rule: 'killSignal', bad: 'sleep 1 &\nkill -s SIGTERM $!\nwait $! 2>/dev/null\necho "status $?"\n', good: 'sleep 1 &\nkill -s TERM $!\nwait $! 2>/dev/null\necho "status $?"\n', expected: 'status 143\n', at: 'kill', dash: 'error' },
  { rule: 'trapSignal', bad: 'trap \'echo caught\' ERR\nfalse\necho end\n', good: 'false || echo caught\necho end\n', expected: 'caught\nend\n', at: 'ERR', dash: 'error' },
  { rule: 'exitStatus', bad: 'f() { return -1; }\nf\necho "status $?"\n', good: 'f() { return 255; }\nf\necho "status $?"\n', expected: 'status 255\n', at: 'return', dash: 'error' },
  { rule: 'echoFlags', bad: 'echo -e \'a\\tb\'\n', good: 'printf \'a\\tb\\n\'\n', expected: 'a\tb\n', at: 'echo', dash: 'silent', severity: 'warning' },
  { rule: 'echoFlags', bad: 'echo -ne \'x\\n\'\n', good: 'printf \'x\\n\'\n', expected: 'x\n', at: 'echo', dash: 'silent', severity: 'warning' },
  { rule: 'bashVariable', bad: 'echo "uid=${EUID:-unset}"\n', good: 'echo "uid=$(id -u)"\n', expected: `uid=${process.getuid?.() ?? 0}\n`, at: 'EUID', dash: 'silent', severity: 'warning' },
  { rule: 'bashVariable', bad: '[ -n "$RANDOM" ] && echo random\n', good: 'r=$(od -An -N2 -tu2 /dev/urandom)\n[ -n "$r" ] && echo random\n', expected: 'random\n', at: 'RANDOM', dash: 'silent', severity: 'warning' },
];

const shellsPresent = hasProgram('dash') && hasProgram('bash');

function lineOf(script: string, marker: string): number {
  const line = script.split('\n').findIndex((text) => text.includes(marker));
  assert.ok(line >= 0, `marker ${marker} not in script`);
  return line;
}

describe('dash checker: every reported construct breaks under dash', { skip: !shellsPresent && 'dash and bash are needed' }, () => {
  for (const c of cases) {
    test(`${c.rule}: ${c.bad.split('\n').find((line) => line.includes(c.at))}`, () => {
      const bash = runScript('bash', c.bad, c.stdin);
      assert.equal(bash.stdout, c.expected, `bash runs the script as meant (stderr: ${bash.stderr})`);
      assert.equal(bash.status, 0, 'bash exits 0');

      const dashBad = runScript('dash', c.bad, c.stdin);
      const dashReports = dashBad.status !== 0 || dashBad.stderr !== '';
      if (c.dash === 'error') assert.ok(dashReports, `dash reports an error (status ${dashBad.status}, stdout ${JSON.stringify(dashBad.stdout)})`);
      else {
        assert.equal(dashBad.stderr, '', 'dash says nothing');
        assert.notEqual(dashBad.stdout, c.expected, 'dash silently prints something else');
      }

      const dashGood = runScript('dash', c.good, c.stdin);
      assert.deepEqual({ stdout: dashGood.stdout, stderr: dashGood.stderr, status: dashGood.status }, { stdout: c.expected, stderr: '', status: 0 }, 'the rewrite runs under dash');

      const found = notPosix(c.bad).filter((d) => d.data?.rule === c.rule);
      const line = lineOf(c.bad, c.at);
      assert.ok(found.some((d) => d.range.start.line === line), `${c.rule} on line ${line}; got ${describeDiagnostics(notPosix(c.bad))}`);
      assert.ok(found.every((d) => d.severity === (c.severity ?? 'error')), 'severity');
      assert.deepEqual(notPosix(c.good), [], 'the rewrite is clean');
    });
  }
});

describe('dash checker: its lists match dash', { skip: !shellsPresent && 'dash and bash are needed' }, () => {
  const dashStatus = (script: string) => runScript('dash', script);

  test('every bash-only builtin is a bash builtin and "not found" in dash', () => {
    for (const name of bashOnlyBuiltins) {
      assert.equal(runScript('bash', `type -t ${name}\n`).stdout, 'builtin\n', name);
      const dash = dashStatus(`${name}\n`);
      assert.equal(dash.status, 127, name);
      assert.match(dash.stderr, /not found/, name);
    }
  });

  test('dash accepts every `set -o` name the checker allows and rejects bash-only ones', () => {
    for (const name of dashSetOptions) {
      // `noexec`, `interactive` and friends change how the rest runs; only acceptance counts.
      assert.doesNotMatch(dashStatus(`set -o ${name} </dev/null\n`).stderr, /Illegal option/, name);
    }
    for (const name of ['pipefail', 'errtrace', 'functrace', 'posix', 'history', 'histexpand', 'braceexpand', 'hashall', 'physical', 'onecmd']) {
      assert.equal(runScript('bash', `set -o ${name}\n`).status, 0, `bash accepts ${name}`);
      assert.match(dashStatus(`set -o ${name}\n`).stderr, /Illegal option/, name);
    }
  });

  test('dash accepts the `set` flags the checker allows and rejects the others bash has', () => {
    for (const flag of dashSetFlags) {
      if ('is'.includes(flag)) continue; // only meaningful when starting a shell
      assert.doesNotMatch(dashStatus(`set -${flag} </dev/null\n`).stderr, /Illegal option/, flag);
    }
    for (const flag of 'BHPTkh') {
      assert.equal(runScript('bash', `set -${flag}\n`).status, 0, `bash accepts -${flag}`);
      assert.match(dashStatus(`set -${flag}\n`).stderr, /Illegal option/, flag);
    }
  });

  test('every bash-only variable is empty under dash', () => {
    const script = [...bashOnlyVariables].map((name) => `echo "${name}=\${${name}}"`).join('\n') + '\n';
    const lines = runScript('dash', script).stdout.trim().split('\n');
    assert.deepEqual(lines, [...bashOnlyVariables].map((name) => `${name}=`));
  });
});
