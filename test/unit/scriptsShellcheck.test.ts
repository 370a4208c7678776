/**
 * ShellCheck beside the built-in checks: its json1 answer mapped to editor positions, its codes
 * and wiki links kept, its CRLF noise collapsed, its POSIX-only warnings weighed against what
 * dash really does, and a missing, hanging or lying executable never costing the built-in results.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { parseShellCheckJson, runShellCheck as runWith, ShellCheckScheduler } from '../../server/src/engine/scripts';
import { nodeProgramRunner, realClock } from '../../server/src/engine/service/processes';

const runShellCheck = (text: string, shellcheckPath: string, timeoutMs?: number) => runWith(nodeProgramRunner, text, shellcheckPath, timeoutMs);
/** The built-in checks merged with ShellCheck's, as the server and the CLI get them. */
const checkScriptWithShellCheck = async (bytes: Uint8Array, options: { shellcheckPath: string }) =>
  (await new ShellCheckScheduler(nodeProgramRunner, realClock).check({ bytes, shellcheckPath: options.shellcheckPath }))!;
import { hasProgram } from './scriptsTestSupport';

const bytes = (text: string) => new TextEncoder().encode(text);
const shellcheck = hasProgram('shellcheck') ? 'shellcheck' : undefined;
const needsShellcheck = { skip: !shellcheck && 'shellcheck is not installed (CI installs it from Debian)' };
const textAt = (text: string, range: { start: { line: number; character: number }; end: { character: number } }) =>
  text.split('\n')[range.start.line].slice(range.start.character, range.end.character);

describe('ShellCheck output without ShellCheck', () => {
  const text = 'echo $x\n\techo 😀 $y\n';
  const recorded = JSON.stringify({
    comments: [
      { file: '-', line: 1, endLine: 1, column: 6, endColumn: 8, level: 'info', code: 2086, message: 'Double quote to prevent globbing and word splitting.', fix: { replacements: [{ line: 1, endLine: 1, column: 6, endColumn: 6, replacement: '"', insertionPoint: 'afterEnd', precedence: 7 }] } },
      { file: '-', line: 2, endLine: 2, column: 9, endColumn: 11, level: 'style', code: 2250, message: 'Prefer putting braces around variable references.', fix: null },
      { file: '-', line: 1, endLine: 1, column: 8, endColumn: 8, level: 'error', code: 1017, message: 'Literal carriage return.', fix: null },
      { file: '-', line: 2, endLine: 2, column: 12, endColumn: 12, level: 'error', code: 1017, message: 'Literal carriage return.', fix: null },
    ],
  });

  test('codes, severities, wiki links and quick-fix edits are kept', () => {
    const found = parseShellCheckJson(recorded, text)!;
    const sc2086 = found.find((d) => d.code === 'SC2086')!;
    assert.equal(sc2086.severity, 'information');
    assert.equal(sc2086.data?.href, 'https://www.shellcheck.net/wiki/SC2086');
    assert.equal(textAt(text, sc2086.range), '$x');
    assert.deepEqual(sc2086.data?.fix, [{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 5 } }, text: '"' }]);
    assert.equal(found.find((d) => d.code === 'SC2250')?.severity, 'hint');
  });

  test('columns count code points with a tab as one; editors count UTF-16 units', () => {
    const sc2250 = parseShellCheckJson(recorded, text)!.find((d) => d.code === 'SC2250')!;
    assert.equal(textAt(text, sc2250.range), '$y');
  });

  test('SC1017 on every CRLF line becomes one diagnostic', () => {
    const carriageReturns = parseShellCheckJson(recorded, text)!.filter((d) => d.code === 'SC1017');
    assert.equal(carriageReturns.length, 1);
    assert.equal(carriageReturns[0].data?.lines, 2);
  });

  test('output that is not ShellCheck JSON is refused', () => {
    assert.equal(parseShellCheckJson('not json', text), undefined);
    assert.equal(parseShellCheckJson('{"x":1}', text), undefined);
  });
});

describe('running ShellCheck', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-sc-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const fake = (name: string, body: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
    return file;
  };

  test('a missing executable: the built-in results plus one warning', async () => {
    const found = await checkScriptWithShellCheck(bytes('source ./x >/dev/null\n'), { shellcheckPath: path.join(dir, 'no-such-shellcheck') });
    assert.deepEqual(found.map((d) => [d.code, d.severity]), [['ScriptNotPosix', 'error'], ['ShellCheckFailed', 'warning']]);
  });

  test('the path is never given to a shell', async () => {
    const marker = path.join(dir, 'pwned');
    const found = await runShellCheck(':\n', `shellcheck; touch ${marker}`);
    assert.equal(found[0].code, 'ShellCheckFailed');
    assert.equal(fs.existsSync(marker), false);
  });

  test('a hanging executable is stopped at the timeout', async () => {
    const started = Date.now();
    const found = await runShellCheck(':\n', fake('hangs', 'sleep 10'), 300);
    assert.equal(found[0].code, 'ShellCheckFailed');
    assert.match(found[0].message, /300 ms/);
    assert.ok(Date.now() - started < 5000);
  });

  test('an executable that answers nonsense, or floods, is reported, not believed', async () => {
    assert.equal((await runShellCheck(':\n', fake('lies', 'echo hello')))[0].code, 'ShellCheckFailed');
    assert.equal((await runShellCheck(':\n', fake('floods', 'head -c 20000000 /dev/zero')))[0].code, 'ShellCheckFailed');
  });

  test('an executable that exits without reading stdin does not crash the caller', async () => {
    const text = 'echo x\n'.repeat(200_000);
    assert.equal((await runShellCheck(text, fake('quits', 'exit 3')))[0].code, 'ShellCheckFailed');
  });

  test('real ShellCheck: findings keep their codes and positions', needsShellcheck, async () => {
    const text = '#!/bin/bash\nfor f in $(ls); do\n\techo 😀 $f\ndone\n';
    const found = await runShellCheck(text, shellcheck!);
    const sc2086 = found.find((d) => d.code === 'SC2086');
    assert.ok(sc2086, found.map((d) => d.code).join(' '));
    assert.equal(textAt(text, sc2086.range), '$f');
    assert.ok(found.some((d) => d.code === 'SC2045'));
  });

  test('real ShellCheck: CRLF comes back as one SC1017', needsShellcheck, async () => {
    const found = await runShellCheck('echo a\r\necho b\r\necho c\r\n', shellcheck!);
    const carriageReturns = found.filter((d) => d.code === 'SC1017');
    assert.equal(carriageReturns.length, 1);
    assert.equal(carriageReturns[0].data?.lines, 3);
  });

  test('real ShellCheck beside the built-in checks: no duplicates, dash decides', needsShellcheck, async () => {
    const text = '#!/bin/sh\nexec >>/var/log/x 2>&1\nif [[ -n "$1" ]]; then echo "$1"; fi\nf() { local v=1; echo "$v"; }\nf\n';
    const found = await checkScriptWithShellCheck(bytes(text), { shellcheckPath: shellcheck! });
    const codes = found.map((d) => `${d.range.start.line}:${d.code}:${d.severity}`);
    assert.ok(codes.includes('2:ScriptNotPosix:error'), codes.join(' '));
    // SC3010 says the same as the built-in `[[` finding: dropped.
    assert.ok(!codes.some((code) => code.includes('SC3010')), codes.join(' '));
    // SC3043: POSIX lacks `local`, dash has it: kept as information only.
    assert.ok(codes.includes('3:SC3043:information'), codes.join(' '));
  });

  test('real ShellCheck on a CRLF file: the built-in CRLF finding stands alone', needsShellcheck, async () => {
    const found = await checkScriptWithShellCheck(bytes('exec >/dev/null 2>&1\r\necho a\r\n'), { shellcheckPath: shellcheck! });
    assert.deepEqual(found.filter((d) => /CRLF|SC1017/i.test(d.code)).map((d) => d.code), ['ScriptCrlf']);
  });
});
