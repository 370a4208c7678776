/**
 * Scripts no test wrote by hand: random lines, each a POSIX fragment or a bash-only one, put in
 * random places (an `if`, a function, a subshell, `$(…)`, a loop, a case branch). dash runs each
 * script; every line it names in an error must carry a diagnostic, and no line built only from
 * POSIX fragments may carry a dash finding.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { check, dashErrorLines, describeDiagnostics, hasProgram, runScript } from './scriptsTestSupport';

/** Fragments dash rejects with an error naming their line (when they run or are parsed). */
const bashOnly = [
  '[[ -n "$HOME" ]] && echo y', 'source /dev/null', 'let n=1', 'declare n=1', 'typeset n=2', 'arr=(a b)',
  'echo ${x//a/b}', 'echo ${x:1}', 'echo ${!x}', 'echo ${x^^}', 'echo "${x[0]}"', 'cat <<< hi', 'echo a |& cat',
  'for ((i=0;i<1;i++)); do echo; done', 'function g { echo; }', 'select s in a; do break; done </dev/null',
  '[ a == a ]', '[ -a /etc ]', 'set -o pipefail', 'set -euo pipefail', 'read -s v </dev/null', 'printf -v v x',
  "trap 'echo t' ERR", 'exit -1', 'echo $((2**2))', 'x+=1', 'a[1]=2', 'cat <(echo)', 'echo >& f.txt',
  'pushd . >/dev/null', 'shopt -s nullglob', 'type -p ls', 'kill -SIGTERM 999999', 'mapfile m </dev/null',
  '((n++))', 'echo $((n++))', 'wait -n', "printf '%q' x", 'local -r c=1', 'export -f g2', 'case a in a) echo ;& esac',
];

/** POSIX fragments, some with bash-looking text where dash does not care. */
const posix = [
  'echo "[[ $HOME ]] {a,b}" >/dev/null', 'x=abc', ': "${x:-d}" "${x#a}" "${#x}"', "echo '{a,b} <<<' >/dev/null",
  '[ "$x" = abc ]', 'n=$((n + 1))', 'test -e /etc', 'g2() { :; }', 'echo $x >/dev/null', 'v=$(echo "$x" | tr a b)',
  '# [[ source let', 'true && echo ok >/dev/null', 'printf "%s\\n" "$x" >/dev/null', "bash -c '[[ 1 ]]'",
  'set -e; set +e', 'echo -n "" >/dev/null', 'exec 3>&1; exec 3>&-',
];

/** Places a fragment can stand; each keeps it on one line, so dash names that line. */
const wrappers = [
  (s: string) => s,
  (s: string) => `if true; then ${s}; fi`,
  (s: string) => `w() { ${s}; }; w`,
  (s: string) => `( ${s} )`,
  (s: string) => `r=$(${s})`,
  (s: string) => `{ ${s}; }`,
  (s: string) => `while :; do ${s}; break; done`,
  (s: string) => `case $x in *) ${s} ;; esac`,
  (s: string) => `true && ${s}`,
  (s: string) => `  ${s}`,
];

interface Line {
  text: string;
  bad: boolean;
}

const lineArbitrary: fc.Arbitrary<Line> = fc
  .tuple(fc.boolean(), fc.nat(), fc.nat(), fc.nat(wrappers.length - 1))
  .map(([bad, a, b, w]) => {
    const pool = bad ? bashOnly : posix;
    const fragment = pool[a % pool.length];
    // A comment would swallow the wrapper's closing word, and function definitions or `;&`
    // change meaning inside some wrappers: those stay unwrapped.
    const alone = fragment.startsWith('#') || fragment.includes(';&') || fragment.startsWith('function') || fragment.startsWith('g2()');
    const wrap = alone ? wrappers[0] : wrappers[w];
    return { text: wrap(fragment), bad: bad || b < 0 };
  });

describe('dash checker on generated scripts', { skip: !hasProgram('dash') && 'dash is needed' }, () => {
  test('every line dash reports an error on carries a diagnostic; POSIX lines carry none', (t) => {
    let scripts = 0;
    let errorLines = 0;
    fc.assert(
      fc.property(fc.array(lineArbitrary, { minLength: 1, maxLength: 8 }), (lines) => {
        const script = ['x=abc', 'n=0', ...lines.map((line) => line.text), 'echo end'].join('\n') + '\n';
        const diagnostics = check(script).filter((d) => d.code !== 'ScriptOutputNotRedirected');
        const run = runScript('dash', script);
        const reported = dashErrorLines(run.stderr);
        scripts++;
        errorLines += reported.length;
        for (const { line, syntax } of reported) {
          assert.ok(
            diagnostics.some((d) => d.range.start.line === line || (syntax && d.range.start.line === line - 1)),
            `dash: ${run.stderr.trim()}\nscript:\n${script}\nfound: ${describeDiagnostics(diagnostics)}`,
          );
        }
        lines.forEach((line, i) => {
          if (line.bad) return;
          const onLine = diagnostics.filter((d) => d.range.start.line === i + 2 && d.code === 'ScriptNotPosix');
          assert.deepEqual(onLine, [], `POSIX line ${i + 2} flagged:\n${script}`);
        });
      }),
      { numRuns: Number(process.env.SCRIPTS_GENERATED_RUNS ?? 150) },
    );
    // The property must have met real dash errors, or it proved nothing.
    assert.ok(errorLines > scripts / 2, `${errorLines} error lines in ${scripts} scripts`);
    t.diagnostic(`${scripts} generated scripts, ${errorLines} lines dash reported, each one marked`);
  });
});
