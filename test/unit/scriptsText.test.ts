/**
 * What goes wrong before the first command: the bytes (BOM, CRLF, binary, size), the shebang
 * the agent ignores, and output nobody reads. Each dash claim is shown with a real dash run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkScript } from '../../server/src/engine/scripts';
import { findOutputRisk } from '../../server/src/engine/scripts/outputRedirect';
import { parseShell } from '../../server/src/engine/scripts/shellSyntax';
import { check, hasProgram, runScript } from './scriptsTestSupport';

const bytes = (text: string) => new TextEncoder().encode(text);
const bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...bytes(text)]);
/** Codes without the output hint, which most small test scripts rightly get. */
const codes = (list: { code: string }[]) => list.map((d) => d.code).filter((code) => code !== 'ScriptOutputNotRedirected');
const dashPresent = hasProgram('dash');

describe('byte order mark', () => {
  test('a command on line 1 is lost: error', () => {
    const [diagnostic] = checkScript(bom('exit 0\n'));
    assert.equal(diagnostic.code, 'ScriptBom');
    assert.equal(diagnostic.severity, 'error');
    assert.deepEqual(diagnostic.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 4 } });
    assert.deepEqual(diagnostic.data, { rule: 'bom', byteLength: 3 });
  });

  test('a comment on line 1 only costs noise: warning', () => {
    const found = checkScript(bom('#!/bin/sh\necho hi\n')).filter((d) => d.code === 'ScriptBom');
    assert.equal(found[0].severity, 'warning');
  });

  test('dash: `exit 0` on line 1 becomes "not found" and the script fails', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', bom('exit 0\nfalse\n'));
    assert.match(run.stderr, /not found/);
    assert.equal(run.status, 1);
    assert.equal(runScript('dash', 'exit 0\nfalse\n').status, 0);
  });

  test('dash: `set -e` on line 1 is silently lost', { skip: !dashPresent && 'dash is needed' }, () => {
    assert.equal(runScript('dash', bom('set -e\nfalse\necho reached\n')).stdout, 'reached\n');
    assert.equal(runScript('dash', 'set -e\nfalse\necho reached\n').stdout, '');
  });

  test('positions ignore the mark, as editors do', () => {
    const found = checkScript(bom('source ./x\n')).find((d) => d.code === 'ScriptNotPosix');
    assert.deepEqual(found?.range.start, { line: 0, character: 0 });
  });
});

describe('CRLF line endings', () => {
  const crlf = 'if true; then\r\n  echo yes\r\nfi\r\n';

  test('one diagnostic for the whole file, with what a fix needs', () => {
    const found = checkScript(bytes(crlf)).filter((d) => d.code === 'ScriptCrlf');
    assert.deepEqual(codes(checkScript(bytes(crlf))), ['ScriptCrlf']);
    assert.equal(found[0].severity, 'error');
    assert.deepEqual(found[0].range, { start: { line: 0, character: 13 }, end: { line: 0, character: 14 } });
    assert.deepEqual(found[0].data, { rule: 'crlf', lines: 3, firstLine: 0 });
  });

  test('the \\r does not make the dash checker report every line', () => {
    assert.deepEqual(codes(checkScript(bytes('x=1\r\nif [ "$x" = 1 ]; then\r\n  echo "$x"\r\nfi\r\n'))), ['ScriptCrlf']);
  });

  test('dash: `then\\r` breaks the script; with LF it runs', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', crlf);
    assert.notEqual(run.status, 0);
    assert.match(run.stderr, /Syntax error/);
    assert.deepEqual(runScript('dash', crlf.replace(/\r/g, '')), { status: 0, stdout: 'yes\n', stderr: '' });
  });
});

describe('not a text file', () => {
  for (const [name, content, rule] of [
    ['NUL bytes', new Uint8Array([0x65, 0x63, 0x68, 0x6f, 0x00, 0x0a]), 'nul'],
    ['an ELF program', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'elf'],
    ['UTF-16', new Uint8Array([0xff, 0xfe, 0x65, 0x00, 0x0a, 0x00]), 'utf16'],
  ] as const) {
    test(name, () => {
      const found = checkScript(content);
      assert.deepEqual(found.map((d) => [d.code, d.severity, d.data?.rule]), [['ScriptNotText', 'error', rule]]);
    });
  }

  test('dash cannot run a program binary', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x0a, 0x28, 0x0a]));
    assert.notEqual(run.status, 0);
  });

  test('Latin-1 text is fine: dash reads bytes', () => {
    assert.deepEqual(checkScript(new Uint8Array([0x23, 0x20, 0xe9, 0x0a, 0x3a, 0x0a])), []);
  });
});

describe('size cap', () => {
  test('a long script is checked up to the cap, cut at a line end, and says so', () => {
    const script = 'echo ok >/dev/null\n'.repeat(100) + 'source ./late\n';
    const found = checkScript(bytes(script), { maxBytes: 1000 });
    assert.deepEqual(codes(found), ['ScriptTruncated']);
    assert.equal(found[0].severity, 'information');
    assert.equal(found[0].data?.checkedBytes, 988);
  });

  test('a caller that read only part of the file passes its size', () => {
    const found = checkScript(bytes(':\n'), { fileSize: 5 * 1024 * 1024 });
    assert.deepEqual(codes(found), ['ScriptTruncated']);
  });
});

describe('shebang', () => {
  test('bash: information, the checks still run', () => {
    const found = check('#!/bin/bash\nsource ./x >/dev/null\n');
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.data?.rule]), [
      ['ShebangIgnored', 'information', 'shellShebang'],
      ['ScriptNotPosix', 'error', 'source'],
    ]);
  });

  test('env bash counts as bash; sh and dash say nothing', () => {
    assert.equal(check('#!/usr/bin/env bash\n:\n')[0]?.data?.interpreter, 'bash');
    assert.deepEqual(check('#!/bin/sh\n:\n'), []);
    assert.deepEqual(check('#! /bin/dash -e\n:\n'), []);
  });

  test('python: an error, and no shell rules on Python code', () => {
    const found = check('#!/usr/bin/python3\nimport sys\nprint(f"{sys.argv}")\n');
    assert.deepEqual(found.map((d) => [d.code, d.severity, d.data?.rule]), [['ShebangIgnored', 'error', 'otherInterpreter']]);
  });

  test('dash really runs a python file as shell', { skip: !dashPresent && 'dash is needed' }, () => {
    const run = runScript('dash', '#!/usr/bin/python3\nimport sys\nprint("hi")\n');
    assert.notEqual(run.status, 0);
  });

  test('the file name of the diagnostic is passed through', () => {
    assert.equal(checkScript(bytes('#!/bin/bash\n'), { file: '/opt/pre.sh' })[0].file, '/opt/pre.sh');
  });
});

describe('output not redirected', () => {
  const risk = (script: string) => {
    const found = findOutputRisk(parseShell(script));
    return found && script.slice(found.command.start, found.command.end);
  };

  test('a plain echo is a risk, reported as a hint with where to add the log line', () => {
    const found = check('#!/bin/sh\n# pre-script\n\nmysqldump db\n').find((d) => d.code === 'ScriptOutputNotRedirected');
    assert.equal(found?.severity, 'hint');
    assert.deepEqual(found?.range, { start: { line: 3, character: 0 }, end: { line: 3, character: 9 } });
    assert.equal(found?.data?.insertLine, 3);
  });

  for (const [name, script] of [
    ['exec to a log', 'exec >>/var/log/pre.log 2>&1\necho start\nmysqldump db\n'],
    ['exec in a function the script calls', 'log_setup() {\n  exec >>/var/log/pre.log 2>&1\n}\nlog_setup\necho start\n'],
    ['a redirected group', '{\n  echo start\n  mysqldump db\n} >>/var/log/pre.log 2>&1\n'],
    ['a redirected main function', 'main() {\n  echo start\n}\nmain "$@" >>/var/log/pre.log 2>&1\nexit $?\n'],
    ['a log function', 'log() { echo "$*" >>/var/log/pre.log; }\nlog start\nfsfreeze -f /data >/dev/null\n'],
    ['each command redirected', 'echo a >/dev/null\nls >>log 2>&1\nx=$(date)\nexit 0\n'],
    ['a wrapper', 'bash /opt/main.sh >>/var/log/main.log 2>&1\n'],
    ['quiet commands only', 'set -e\ncd /tmp\nsleep 1\nexit 0\n'],
    ['piped into a file writer', 'mysqldump db | gzip >/backup/db.gz\n'],
  ]) {
    test(`no risk: ${name}`, () => assert.equal(risk(script), undefined));
  }

  for (const [name, script, command] of [
    ['tee prints what it logs', 'mysql -e "FLUSH TABLES" | tee -a /var/log/x\n', 'tee -a /var/log/x'],
    ['output before the exec', 'echo early\nexec >>/var/log/pre.log 2>&1\n', 'echo early'],
    ['stdout only redirected under set -x', 'set -x\nexec >>/var/log/pre.log\necho a\n', 'echo a'],
    ['a function that prints', 'f() { echo hi; }\nf\n', 'f'],
  ]) {
    test(`risk: ${name}`, () => assert.equal(risk(script), command));
  }
});
