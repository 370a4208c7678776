import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { nodeFileSystem } from '../../server/src/engine/fs/fileSystem';
import { APP_IDS, planScaffold } from '../../server/src/engine/scaffold';
import type { AppId, ScaffoldParams } from '../../server/src/engine/scaffold';
import { BehaviourContext, checkScriptBehaviour, checkScriptsBehaviour } from '../../server/src/engine/scripts/behaviour';
import type { EngineDiagnostic } from '../../server/src/engine/types';
import { HELD_PG_POST, HELD_PG_PRE } from './behaviourFixtures';
import { VmRoot } from '../helpers/vmRoot';
import { runScript } from './scriptsTestSupport';

/**
 * The behaviour rules on small scripts written for each of them: what fires, where, and what
 * must stay silent (the scaffolded scripts are the model answers).
 */

function find(script: string, context: BehaviourContext = {}): EngineDiagnostic[] {
  return checkScriptBehaviour(script, context);
}

function codes(script: string, context: BehaviourContext = {}): string[] {
  return find(script, context).map((d) => d.code);
}

function only(script: string, code: string, context: BehaviourContext = {}): EngineDiagnostic[] {
  return find(script, context).filter((d) => d.code === code);
}

/** The text a diagnostic's range covers. */
function marked(script: string, diagnostic: EngineDiagnostic): string {
  const lines = script.split('\n');
  const { start, end } = diagnostic.range;
  if (start.line === end.line) return lines[start.line].slice(start.character, end.character);
  return [lines[start.line].slice(start.character), ...lines.slice(start.line + 1, end.line), lines[end.line].slice(0, end.character)].join('\n');
}

function applyFix(script: string, diagnostic: EngineDiagnostic): string {
  const fix = diagnostic.data?.fix as { range: EngineDiagnostic['range']; text: string }[];
  assert.ok(fix?.length, `no fix on ${diagnostic.code}`);
  const lines = script.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((sum, line) => sum + line.length + 1, 0) + p.character;
  let out = script;
  for (const edit of [...fix].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(edit.range.start)) + edit.text + out.slice(offset(edit.range.end));
  }
  return out;
}

const MS_MYSQL_PRE = `#!/bin/bash
# Microsoft's published MySQL pre-script, as people copy it
mysql -u root -e "FLUSH TABLES WITH READ LOCK;" | tee -a /var/log/pre.log
echo "tables locked"
exit 0
`;

describe('LockReleasedAtOnce', () => {
  it('marks a one-shot mysql -e FLUSH TABLES WITH READ LOCK as an error on the command', () => {
    const [lock] = only(MS_MYSQL_PRE, 'LockReleasedAtOnce');
    assert.equal(lock.severity, 'error');
    assert.equal(marked(MS_MYSQL_PRE, lock), 'mysql -u root -e "FLUSH TABLES WITH READ LOCK;"');
    assert.match(lock.message, /before the snapshot/);
  });

  it('marks LOCK TABLES fed through a here-document, and a one-shot pg_backup_start', () => {
    assert.ok(codes('mysql shop <<EOF\nLOCK TABLES orders READ;\nEOF\n').includes('LockReleasedAtOnce'));
    assert.ok(codes(`psql -U postgres -c "SELECT pg_backup_start('x', true)"\n`).includes('LockReleasedAtOnce'));
    assert.ok(codes(`echo "FLUSH TABLES WITH READ LOCK" | mariadb\n`).includes('LockReleasedAtOnce'));
    assert.ok(codes(`docker exec db mysql -e "FLUSH TABLES WITH READ LOCK"\n`).includes('LockReleasedAtOnce'));
  });

  it('notes UNLOCK TABLES in a new session as information', () => {
    const [unlock] = only('mysql -e "UNLOCK TABLES"\n', 'LockReleasedAtOnce');
    assert.equal(unlock.severity, 'information');
    assert.equal(unlock.data?.rule, 'unlockNewSession');
  });

  it('leaves a client held in the background, the exclusive pre-15 call and plain queries alone', () => {
    assert.deepEqual(only('mysql <"$dir/hold.sql" >"$dir/out" 2>&1 &\n', 'LockReleasedAtOnce'), []);
    assert.deepEqual(only('mysql -e "SELECT 1"\n', 'LockReleasedAtOnce'), []);
    assert.deepEqual(only('echo "FLUSH TABLES WITH READ LOCK is not used"\n', 'LockReleasedAtOnce'), []);
    assert.deepEqual(only(`psql -c "SELECT pg_start_backup('x', true)"\n`, 'LockReleasedAtOnce'), []);
  });
});

describe('QuiesceUnbounded', () => {
  for (const [script, label] of [
    ['docker pause web || exit 1\n', 'docker pause'],
    ['systemctl stop nginx || exit 1\n', 'systemctl'],
    ['service nginx stop || exit 1\n', 'service'],
    ['mysql -e "SET GLOBAL read_only = ON" || exit 1\n', 'read_only'],
    [`mongosh --eval "db.fsyncLock()" || exit 1\n`, 'fsyncLock'],
    ['sqlplus -S / as sysdba <<EOF || exit 1\nALTER DATABASE BEGIN BACKUP;\nEOF\n', 'BEGIN BACKUP'],
    [`csession CACHE -U%SYS "##Class(Backup.General).ExternalFreeze()" || exit 1\n`, 'ExternalFreeze'],
    ['db2 "SET WRITE SUSPEND FOR DATABASE" || exit 1\n', 'SET WRITE SUSPEND'],
    ['docker compose stop || exit 1\n', 'compose'],
  ] as const) {
    it(`warns on ${label} with nothing bounding it`, () => {
      const [finding] = only(script, 'QuiesceUnbounded', { side: 'pre' });
      assert.equal(finding?.severity, 'warning', `${script} → ${codes(script, { side: 'pre' })}`);
      assert.equal(finding.range.start.line, 0);
    });
  }

  it('is silent when a background watchdog undoes it, and in a post-script', () => {
    const bounded = '( sleep 600; docker unpause web ) &\ndocker pause web || exit 1\n';
    assert.deepEqual(only(bounded, 'QuiesceUnbounded', { side: 'pre' }), []);
    assert.deepEqual(only('systemctl stop nginx || exit 1\n', 'QuiesceUnbounded', { side: 'post' }), []);
    assert.deepEqual(only('docker unpause web\nsystemctl start nginx\n', 'QuiesceUnbounded', { side: 'pre' }), []);
  });

  it('is suggested with the scaffold template that bounds it', () => {
    const [finding] = only('docker pause web || exit 1\n', 'QuiesceUnbounded', { side: 'pre' });
    assert.equal(finding.data?.template, 'docker');
    assert.match(finding.message, /scaffold --app docker/);
  });
});

describe('SelfFreeze', () => {
  it('is an error while the agent freezes (its default), a QuiesceUnbounded when it does not', () => {
    const script = 'fsfreeze -f /data || exit 1\n';
    const [freeze] = only(script, 'SelfFreeze');
    assert.equal(freeze.severity, 'error');
    assert.deepEqual(only(script, 'SelfFreeze', { fsFreezeEnabled: false }), []);
    assert.equal(only(script, 'QuiesceUnbounded', { fsFreezeEnabled: false, side: 'pre' }).length, 1);
    assert.deepEqual(only('fsfreeze -u /data\n', 'SelfFreeze'), []);
  });
});

describe('RemovedApi', () => {
  it('warns on pg_start_backup / pg_stop_backup where the text offers no PostgreSQL 15 branch', () => {
    const script = `psql -c "SELECT pg_start_backup('nightly', true);"\n`;
    const [removed] = only(script, 'RemovedApi');
    assert.equal(removed.severity, 'warning');
    assert.equal(marked(script, removed), 'pg_start_backup(');
    const versioned = `cat >x.sql <<SQL\n\\\\if :pg15\nSELECT pg_backup_start('x', true);\n\\\\else\nSELECT pg_start_backup('x', true, false);\n\\\\endif\nSQL\n`;
    assert.deepEqual(only(versioned, 'RemovedApi'), []);
  });

  it('renames the calls that a held session sends to their PostgreSQL 15 forms, mapping the arguments, and the rules are then quiet', () => {
    const held = HELD_PG_PRE;
    const [start] = only(held, 'RemovedApi');
    assert.equal(start.data?.fixTitle, "Call pg_backup_start('nightly', true) instead (PostgreSQL 15 and later)");
    const fixed = applyFix(held, start);
    assert.equal(fixed, held.replace("pg_start_backup('nightly', true, false)", "pg_backup_start('nightly', true)"));
    assert.deepEqual(only(fixed, 'RemovedApi'), []);
    assert.deepEqual(find(fixed, { side: 'pre' }).filter((d) => d.severity === 'error'), []);

    const [stop] = only(HELD_PG_POST, 'RemovedApi');
    const stopped = applyFix(HELD_PG_POST, stop);
    assert.equal(stopped, HELD_PG_POST.replace('pg_stop_backup(false, true)', 'pg_backup_stop(true)'));
    assert.deepEqual(only(stopped, 'RemovedApi'), []);
  });

  it('maps every argument form: the exclusive flag goes, wait_for_archive stays', () => {
    const renamed = (call: string) => {
      const script = `printf '%s\\n' "SELECT ${call};" >&3\n`;
      const [removed] = only(script, 'RemovedApi');
      return removed.data?.fix ? applyFix(script, removed).replace(/^printf '%s\\n' "SELECT (.*);" >&3\n$/, '$1') : undefined;
    };
    assert.equal(renamed("pg_start_backup('a')"), "pg_backup_start('a')");
    assert.equal(renamed("pg_start_backup('a, b', false)"), "pg_backup_start('a, b', false)");
    assert.equal(renamed("PG_START_BACKUP('a', true, false)"), "pg_backup_start('a', true)");
    assert.equal(renamed('pg_stop_backup()'), 'pg_backup_stop()');
    assert.equal(renamed('pg_stop_backup(false)'), 'pg_backup_stop()');
    assert.equal(renamed('* FROM pg_stop_backup(false, false)'), '* FROM pg_backup_stop(false)');
    assert.equal(renamed("pg_start_backup(label => 'a')"), undefined, 'named arguments are left to the user');
  });

  it('in a one-shot psql offers no rename and points to the held-session pattern instead', () => {
    const oneShot = `psql -c "SELECT pg_start_backup('nightly', true, false);"\n`;
    const [removed] = only(oneShot, 'RemovedApi');
    assert.equal(removed.data?.fix, undefined);
    assert.match(removed.message, /renaming it is not enough/);
    assert.match(removed.message, /vmsnapshot scaffold --app postgresql --set backup_mode=on/);
    assert.deepEqual(only(oneShot, 'LockReleasedAtOnce').map((d) => d.severity), ['error']);
    const [stop] = only(`psql -c "SELECT pg_stop_backup(false);"\n`, 'RemovedApi');
    assert.equal(stop.data?.fix, undefined);
    assert.match(stop.message, /this psql is a new session/);
  });

  it('replaces START SLAVE and SHOW SLAVE STATUS by their REPLICA forms', () => {
    const script = 'mysql -e "STOP SLAVE SQL_THREAD;"\nmysql -e "show slave status"\n';
    const found = only(script, 'RemovedApi');
    assert.equal(found.length, 2);
    assert.equal(applyFix(script, found[0]), 'mysql -e "STOP REPLICA SQL_THREAD;"\nmysql -e "show slave status"\n');
    assert.equal(applyFix(script, found[1]), 'mysql -e "STOP SLAVE SQL_THREAD;"\nmysql -e "show replica status"\n');
    assert.deepEqual(only('mysql -e "STOP REPLICA"\necho "STOP SLAVE"\n', 'RemovedApi'), []);
  });
});

describe('ExitStatusLost', () => {
  it('sees that $? after `| tee` tests tee, and offers a POSIX fix that keeps the first status', () => {
    const script = 'mysqladmin ping | tee -a /tmp/log\nif [ $? -ne 0 ]; then exit 1; fi\n';
    const [lost] = only(script, 'ExitStatusLost');
    assert.equal(lost.severity, 'warning');
    assert.equal(marked(script, lost), '$?');
    assert.match(lost.message, /`tee`/);
    assert.equal(applyFix(script, lost), '{ first_status=$( { { mysqladmin ping; echo $? >&3; } | tee -a /tmp/log >&4; } 3>&1 ); } 4>&1\nif [ "$first_status" -ne 0 ]; then exit 1; fi\n');
  });

  it('the fixed pipeline gives the first command\'s status under dash, and its output still reaches stdout', () => {
    const script = 'sh -c "echo frozen; exit 3" | tee -a log\nrc=$?\necho "rc=$rc"\n';
    const before = runScript('dash', script);
    assert.match(before.stdout, /frozen\nrc=0\n/, 'without the fix $? is tee\'s');
    const [lost] = only(script, 'ExitStatusLost');
    const after = runScript('dash', applyFix(script, lost));
    assert.equal(after.stdout, 'frozen\nrc=3\n');
    assert.equal(after.stderr, '');
  });

  it('sees $? read after an echo', () => {
    const [lost] = only('systemctl is-active x\necho checked\nrc=$?\n', 'ExitStatusLost');
    assert.equal(lost.data?.rule, 'statusOfMessage');
  });

  it('warns on a quiesce command whose status nothing tests, and not on a tested one', () => {
    const [untested] = only('docker pause web\necho paused\nexit 0\n', 'ExitStatusLost');
    assert.equal(untested.data?.rule, 'quiesceUntested');
    assert.deepEqual(only('docker pause web || exit 1\necho paused\nexit 0\n', 'ExitStatusLost'), []);
    assert.deepEqual(only('if ! docker pause web; then exit 1; fi\necho paused\n', 'ExitStatusLost'), []);
    assert.deepEqual(only('set -e\ndocker pause web\necho paused\n', 'ExitStatusLost'), []);
    assert.deepEqual(only('docker pause web\nrc=$?\n[ $rc -eq 0 ] || exit 1\n', 'ExitStatusLost'), []);
    assert.deepEqual(only('echo start\ndocker pause web\n', 'ExitStatusLost'), [], 'the last command gives the script its status');
    assert.deepEqual(only('mysql -e "SELECT 1" | tee -a log\nif [ "$?" = 0 ]; then echo ok; fi\n', 'ExitStatusLost').map((d) => d.data?.rule), ['pipelineStatus']);
  });
});

describe('ExitStatusLost, as wide as the issue\'s table', () => {
  const rules = (script: string) => only(script, 'ExitStatusLost').map((d) => d.data?.rule);

  it('sees $? read after another command than the one meant, and names both', () => {
    const script = 'docker pause web\nsleep 2\nif [ $? -ne 0 ]; then exit 1; fi\n';
    const [lost] = only(script, 'ExitStatusLost');
    assert.equal(lost.data?.rule, 'statusOfOther');
    assert.equal(marked(script, lost), '$?');
    assert.match(lost.message, /status of `sleep`, which ran after `docker`/);
    assert.deepEqual(rules('mysql -e "SET GLOBAL read_only = ON"\nsync\nrc=$?\n[ $rc -eq 0 ] || exit 1\n'), ['statusOfOther']);
    assert.deepEqual(rules('docker pause web; echo done; if [ $? -ne 0 ]; then exit 1; fi\n').filter((rule) => rule !== 'quiesceUntested'), ['statusOfMessage']);
  });

  it('is silent when $? is read right after the command, or the meant command was tested', () => {
    assert.deepEqual(rules('docker pause web\nif [ $? -ne 0 ]; then exit 1; fi\n'), []);
    assert.deepEqual(rules('docker pause web || exit 1\nsleep 1\nrc=$?\n'), []);
    assert.deepEqual(rules('mysql -e "SELECT 1"\nmysql -e "SELECT 2"\nrc=$?\n[ $rc -eq 0 ] || exit 1\n'), [], 'the second client is the one meant');
    assert.deepEqual(rules('cd /var/lib/app\nrc=$?\n[ $rc -eq 0 ] || exit 1\n'), [], 'no command meant before it');
  });

  it('sees `if cmd | tee log; then` and `cmd | tee log || exit 1` test tee', () => {
    const script = 'if docker pause web | tee -a /var/log/pre.log; then echo paused; else exit 1; fi\n';
    const [lost] = only(script, 'ExitStatusLost');
    assert.equal(lost.data?.rule, 'testedPipeline');
    assert.equal(marked(script, lost), 'docker pause web | tee -a /var/log/pre.log');
    assert.match(lost.message, /status of `tee`.*not of `docker`/);
    assert.deepEqual(rules('mysqladmin ping | tee -a log || exit 1\n'), ['testedPipeline']);
    assert.deepEqual(rules('if pg_isready | grep -q accepting; then echo up; fi\n'), [], 'grep is the test meant');
    assert.deepEqual(rules('if docker pause web >>/var/log/pre.log 2>&1; then echo paused; else exit 1; fi\n'), []);
  });

  it('sees a quiesce whose saved status nothing tests, and a quiesce function whose call nothing tests', () => {
    assert.deepEqual(rules('docker pause web\nrc=$?\necho "pause said $rc"\nexit 0\n'), ['quiesceUntested']);
    assert.deepEqual(rules('docker pause web\nrc=$?\nlog "x"\nif [ "$rc" -ne 0 ]; then exit 1; fi\n'), []);
    assert.deepEqual(rules('docker pause web\nrc=$?\ncase $rc in\n  0) ;;\n  *) exit 1 ;;\nesac\n'), [], 'a case on the saved status tests it');
    const script = 'freeze() {\n  docker pause web\n}\nfreeze\necho frozen\nexit 0\n';
    const [untested] = only(script, 'ExitStatusLost');
    assert.equal(untested.data?.rule, 'quiesceUntested');
    assert.equal(marked(script, untested), 'freeze');
    assert.match(untested.message, /freeze \(docker pause\)/);
    assert.deepEqual(rules(script.replace('freeze\necho', 'freeze || exit 1\necho')), []);
  });
});

describe('FailureExitsZero', () => {
  it('warns when the failure branch only logs and the script exits 0', () => {
    const script = 'docker pause web || echo "pause failed"\nexit 0\n';
    const [zero] = only(script, 'FailureExitsZero');
    assert.equal(zero.severity, 'warning');
    assert.equal(marked(script, zero), 'docker pause web');
    assert.equal(only('if ! systemctl stop app; then\n  echo "could not stop"\nfi\nexit 0\n', 'FailureExitsZero').length, 1);
    assert.equal(only('systemctl stop app\nif [ $? -ne 0 ]; then\n  echo "could not stop"\nfi\nexit 0\n', 'FailureExitsZero').length, 1);
    assert.equal(only('systemctl stop app\nrc=$?\nif [ "$rc" -eq 0 ]; then echo stopped; fi\nexit 0\n', 'FailureExitsZero').length, 1);
  });

  it('is silent when the failure path exits non-zero (directly or through a function)', () => {
    assert.deepEqual(only('docker pause web || exit 1\nexit 0\n', 'FailureExitsZero'), []);
    assert.deepEqual(only('die() { echo "$*"; exit 2; }\nif ! systemctl stop app; then\n  die "no stop"\nfi\nexit 0\n', 'FailureExitsZero'), []);
    assert.deepEqual(only('systemctl stop app\nif [ $? -ne 0 ]; then\n  exit 1\nfi\nexit 0\n', 'FailureExitsZero'), []);
    assert.deepEqual(only('if systemctl stop app; then\n  exit 0\nfi\nexit 1\n', 'FailureExitsZero'), []);
  });

  it('warns on result codes handled by if/elif without else before exit 0', () => {
    const script = 'run_freeze\nrc=$?\nif [ $rc -eq 1 ]; then\n  echo frozen\nelif [ $rc -eq 2 ]; then\n  exit 1\nfi\nexit 0\n';
    const [codesFinding] = only(script, 'FailureExitsZero');
    assert.equal(codesFinding.data?.rule, 'unhandledCodes');
    assert.equal(codesFinding.range.start.line, 2);
    assert.deepEqual(only(script.replace('fi\nexit 0', 'else\n  exit 1\nfi\nexit 0'), 'FailureExitsZero'), []);
  });
});

describe('FailureExitsZero, as wide as the issue\'s table', () => {
  const rules = (script: string) => only(script, 'FailureExitsZero').map((d) => d.data?.rule);

  it('sees an error status overwritten before `exit $rc`, at the reset', () => {
    const script = 'docker pause web\nrc=$?\nif [ $rc -ne 0 ]; then echo "pause failed: $rc"; fi\nrc=0\nexit $rc\n';
    const overwritten = only(script, 'FailureExitsZero').find((d) => d.data?.rule === 'statusOverwritten');
    assert.ok(overwritten);
    assert.equal(marked(script, overwritten), 'rc=0');
    assert.match(overwritten.message, /rc=0 here overwrites the status saved in rc before \(`rc=\$\?`\): `exit \$rc`/);
    assert.deepEqual(rules('rc=0\ndocker pause web || rc=$?\nexit $rc\n'), [], 'the default before, the status after');
    assert.deepEqual(rules('for c in a b; do\n  rc=0\n  run "$c"\ndone\nrc=$?\nexit $rc\n'), []);
    assert.deepEqual(rules('run_freeze\nrc=$?\n[ $rc -eq 0 ] || exit $rc\nrc=0\nexit $rc\n'), [], 'the failure path already exited');
  });

  it('sees an unconditional exit 0 after a failure that was recorded and never read', () => {
    const script = 'check_db || failed=1\necho done\nexit 0\n';
    const [dropped] = only(script, 'FailureExitsZero');
    assert.equal(dropped.data?.rule, 'failureRecordedIgnored');
    assert.equal(marked(script, dropped), 'exit 0');
    assert.match(dropped.message, /failure of `check_db` was recorded in failed/);
    assert.deepEqual(rules('if ! check_db; then\n  ok=false\nfi\nexit 0\n'), ['failureRecordedIgnored']);
    assert.deepEqual(rules('check_db || failed=1\n[ "$failed" = 1 ] && exit 1\nexit 0\n'), []);
    assert.deepEqual(rules('check_db || failed=0\nexit 0\n'), [], 'not a failure value');
    assert.deepEqual(rules('check_db || failed=1\nexit 1\n'), []);
  });

  it('sees a quiesce function whose failure only logs before exit 0', () => {
    const script = 'freeze() { docker pause web; }\nif ! freeze; then echo "freeze failed"; fi\nexit 0\n';
    const [zero] = only(script, 'FailureExitsZero');
    assert.equal(zero.data?.rule, 'quiesceFailureIgnored');
    assert.match(zero.message, /When freeze \(docker pause\) fails/);
    assert.deepEqual(rules(script.replace('echo "freeze failed"', 'exit 1')), []);
  });

  it('sees a status that defaults to success with unhandled result codes: if/elif with a default, code before exit 0, case without *)', () => {
    const defaulted = 'run_freeze\nrc=$?\nstatus=0\nif [ $rc -eq 1 ]; then\n  status=1\nelif [ $rc -eq 2 ]; then\n  status=1\nfi\nexit $status\n';
    const [codesFinding] = only(defaulted, 'FailureExitsZero');
    assert.equal(codesFinding.data?.rule, 'unhandledCodes');
    assert.equal(codesFinding.range.start.line, 3);
    assert.deepEqual(rules(defaulted.replace('status=0', 'status=1')), [], 'defaults to failure');
    assert.deepEqual(rules('run_freeze\nrc=$?\nif [ $rc -eq 1 ]; then\n  echo frozen\nelif [ $rc -eq 2 ]; then\n  exit 1\nfi\necho done\nexit 0\n'), ['unhandledCodes']);
    assert.deepEqual(rules('run_freeze\nrc=$?\nif [ $rc -eq 0 ]; then\n  echo ok\nelif [ $rc -eq 1 ]; then\n  echo warn\nfi\nexit 1\n'), []);
    const cased = 'run_freeze\nrc=$?\ncase $rc in\n  0) echo frozen ;;\n  1 | 3) exit 1 ;;\nesac\nexit 0\n';
    const [caseFinding] = only(cased, 'FailureExitsZero');
    assert.deepEqual(caseFinding.data?.codes, ['0', '1', '3']);
    assert.match(caseFinding.message, /no \*\) pattern/);
    assert.deepEqual(rules(cased.replace('esac', '  *) exit 1 ;;\nesac')), []);
  });
});

describe('NonZeroExitIsFailure', () => {
  const CACHE = `csession CACHE -U%SYS "##Class(Backup.General).ExternalFreeze()"
status=$?
if [ "$status" -eq 5 ]; then
  echo "SYSTEM IS FROZEN"
elif [ "$status" -eq 3 ]; then
  echo "SYSTEM FREEZE FAILED"
fi
exit $status
`;

  it("is an error when a product's success code is passed to exit", () => {
    const [exit] = only(CACHE, 'NonZeroExitIsFailure');
    assert.equal(exit.severity, 'error');
    assert.equal(marked(CACHE, exit), 'exit $status');
    assert.match(exit.message, /\b5\b/);
  });

  it('warns on exit 2 meant as a warning; silent on a plain failure exit', () => {
    const [warn] = only('if [ -z "$x" ]; then\n  echo "warning: no x"\n  exit 2\nfi\n', 'NonZeroExitIsFailure');
    assert.equal(warn.severity, 'warning');
    assert.deepEqual(only('if ! docker pause web; then\n  echo "pause failed"\n  exit 2\nfi\n', 'NonZeroExitIsFailure'), []);
    assert.deepEqual(only('rc=$?\nif [ "$rc" -eq 0 ]; then echo ok; fi\nexit $rc\n', 'NonZeroExitIsFailure'), []);
  });
});

describe('PlaceholderLeft', () => {
  it('marks each placeholder of a sample as an error, exactly', () => {
    const script = 'mysql -u root -p<password> -e "FLUSH LOGS" || exit 1\nsqlplus YOUR_USER || exit 1\ncd @BINDIR@ || exit 1\nexport ORACLE_SID=[SID]\nPASS=******\ndocker pause 3f4e8a9b2c1d || exit 1\n';
    const found = only(script, 'PlaceholderLeft');
    assert.deepEqual(found.map((d) => marked(script, d)), ['<password>', 'YOUR_USER', '@BINDIR@', '[SID]', '******', '3f4e8a9b2c1d']);
    assert.ok(found.every((d) => d.severity === 'error'));
  });

  it('is silent in comments, messages, redirections and shell patterns', () => {
    const script = '# set YOUR_DB and <password> below\necho "usage: $0 <db>"\nexec >>"$log" 2>&1 </dev/null\ncase $x in *[!0-9]*) exit 1 ;; esac\ncat <<EOF >out\nEOF\n';
    assert.deepEqual(only(script, 'PlaceholderLeft'), []);
  });
});

describe('SecretOnCommandLine', () => {
  it('warns on -pSECRET, --password=, a connection string and a password variable, never repeating the secret', () => {
    const script = 'mysql -uroot -pS3cret -e "SELECT 1"\nmongosh "mongodb://admin:S3cret@localhost/admin"\nmysqldump --password=S3cret db\nDB_PASSWORD=S3cret\n';
    const found = only(script, 'SecretOnCommandLine');
    assert.equal(found.length, 4);
    assert.ok(found.every((d) => d.severity === 'warning' && !d.message.includes('S3cret') && !JSON.stringify(d.data).includes('S3cret')));
  });

  it('is silent on options files, prompts and passwords read at run time', () => {
    assert.deepEqual(only('mysql --defaults-extra-file=/root/.my.cnf -e "SELECT 1"\nmysql -p -e "SELECT 1"\nPASSWORD=$(cat /root/pw)\nsqlplus -S / as sysdba\n', 'SecretOnCommandLine'), []);
  });
});

describe('WaitExceedsTimeout', () => {
  it('warns on a sleep or timeout at least as long as the time limit, and on a dump in a pre-script', () => {
    assert.equal(only('sleep 30\n', 'WaitExceedsTimeout', { timeoutSeconds: 10 }).length, 1);
    assert.equal(only('sleep 1m\n', 'WaitExceedsTimeout', { timeoutSeconds: 30 })[0].data?.seconds, 60);
    assert.equal(only('timeout 120 mysql -e "SELECT 1"\n', 'WaitExceedsTimeout', { timeoutSeconds: 60 }).length, 1);
    assert.equal(only('mysqldump --all-databases >/backup/all.sql\n', 'WaitExceedsTimeout', { side: 'pre' }).length, 1);
  });

  it('is silent on short waits, background sleeps, an unknown limit and dumps elsewhere', () => {
    assert.deepEqual(only('sleep 2\n( sleep 600; kill $$ ) &\n', 'WaitExceedsTimeout', { timeoutSeconds: 10 }), []);
    assert.deepEqual(only('sleep 30\n', 'WaitExceedsTimeout'), []);
    assert.deepEqual(only('mysqldump db >/backup/db.sql\n', 'WaitExceedsTimeout', { side: 'post' }), []);
  });
});

describe('NothingQuiesced', () => {
  it('warns on a pre-script whose application commands are all commented out, at the first of them', () => {
    const script = '#!/bin/sh\necho "freezing"\n# mysql -e "FLUSH TABLES WITH READ LOCK"\nexit 0\n';
    const [nothing] = only(script, 'NothingQuiesced', { side: 'pre' });
    assert.equal(nothing.severity, 'warning');
    assert.equal(nothing.range.start.line, 2);
    assert.equal(only('echo hello\nexit 0\n', 'NothingQuiesced', { side: 'pre' }).length, 1);
  });

  it('is silent when the pre-script runs an application command, and for post-scripts', () => {
    assert.deepEqual(only('sync\nexit 0\n', 'NothingQuiesced', { side: 'pre' }), []);
    assert.deepEqual(only('echo hello\n', 'NothingQuiesced', { side: 'post' }), []);
    assert.deepEqual(only('"$app_ctl" freeze || exit 1\n', 'NothingQuiesced', { side: 'pre' }), []);
  });
});

describe('ResumeWithoutState', () => {
  it('notes a post-script that starts a service without checking that the pre-script stopped it', () => {
    const [resume] = only('systemctl start nginx || exit 1\nexit 0\n', 'ResumeWithoutState', { side: 'post' });
    assert.equal(resume.severity, 'information');
    assert.deepEqual(only('[ -f /run/x/stopped ] || exit 0\nsystemctl start nginx || exit 1\n', 'ResumeWithoutState', { side: 'post' }), []);
  });
});

describe('SudoInRootScript', () => {
  it('notes sudo and removes it, or turns sudo -u into runuser', () => {
    const script = 'sudo systemctl stop app || exit 1\nsudo -u postgres psql -c "CHECKPOINT"\n';
    const [plain, user] = only(script, 'SudoInRootScript');
    assert.equal(plain.severity, 'information');
    assert.equal(applyFix(script, plain).split('\n')[0], 'systemctl stop app || exit 1');
    assert.equal(applyFix(script, user).split('\n')[1], 'runuser -u postgres -- psql -c "CHECKPOINT"');
    assert.deepEqual(only('echo sudo\n', 'SudoInRootScript'), []);
  });
});

describe('whole scripts, files they run, pairing', () => {
  /** A VM tree holding `files` as root's scripts (mode 700). */
  function layout(files: Record<string, string>): VmRoot {
    const vm = new VmRoot();
    vm.writeAll(Object.fromEntries(Object.entries(files).map(([vmPath, content]) => [vmPath, { content, mode: 0o700 }])));
    return vm;
  }

  it('follows `sh helper`, reports a missing helper, and judges the helper with the same rules', () => {
    const vm = layout({
      '/etc/azure/pre.sh': 'sh /etc/azure/lock.sh || exit 1\nbash /opt/app/missing.sh || exit 1\nsh "$dir/other.sh"\nexit 0\n',
      '/etc/azure/lock.sh': 'mysql -e "FLUSH TABLES WITH READ LOCK"\n',
    });
    try {
      const found = checkScriptsBehaviour([{ side: 'pre', localPath: vm.local('/etc/azure/pre.sh'), vmPath: '/etc/azure/pre.sh' }], { fileSystem: nodeFileSystem, resolve: (vmPath: string) => vm.local(vmPath) });
      const missing = found.filter((d) => d.code === 'HelperNotFound');
      assert.deepEqual(missing.map((d) => [d.severity, d.range.start.line]), [['error', 1], ['information', 2]]);
      const lock = found.find((d) => d.code === 'LockReleasedAtOnce');
      assert.equal(lock?.file, vm.local('/etc/azure/lock.sh'));
    } finally {
      vm.remove();
    }
  });

  it('answers again when a script changes on disk (nothing stale is kept)', () => {
    const vm = layout({ '/etc/azure/pre.sh': 'docker pause web || exit 1\n' });
    try {
      const scripts = [{ side: 'pre' as const, localPath: vm.local('/etc/azure/pre.sh') }];
      const run = () => checkScriptsBehaviour(scripts, { fileSystem: nodeFileSystem, resolve: (vmPath: string) => vm.local(vmPath) }).map((d) => d.code);
      assert.deepEqual(run(), ['QuiesceUnbounded']);
      assert.deepEqual(run(), ['QuiesceUnbounded']);
      fs.writeFileSync(vm.local('/etc/azure/pre.sh'), '( sleep 300; docker unpause web ) &\ndocker pause web || exit 1\n');
      assert.deepEqual(run(), []);
    } finally {
      vm.remove();
    }
  });

  it('warns on the post-script when it never undoes what the pre-script quiesced', () => {
    const vm = layout({
      '/etc/azure/pre.sh': '( sleep 300; docker unpause web ) &\ndocker pause web || exit 1\nsystemctl stop cron || exit 1\n',
      '/etc/azure/post.sh': 'docker unpause web\n',
    });
    try {
      const found = checkScriptsBehaviour(
        [{ side: 'pre', localPath: vm.local('/etc/azure/pre.sh') }, { side: 'post', localPath: vm.local('/etc/azure/post.sh') }],
        { fileSystem: nodeFileSystem, resolve: (vmPath: string) => vm.local(vmPath) },
      );
      const undo = found.filter((d) => d.code === 'UndoMissing');
      assert.deepEqual(undo.map((d) => [d.file, d.severity, d.data?.kind]), [[vm.local('/etc/azure/post.sh'), 'warning', 'serviceStop']]);
    } finally {
      vm.remove();
    }
  });
});

const PARAMS: Partial<Record<AppId, ScaffoldParams>> = { systemd: { services: ['nginx'] }, docker: { containers: ['web'] } };

describe('the scaffolded scripts are the model answers', () => {
  for (const app of APP_IDS) {
    it(`${app}: no error or warning from the behaviour rules, pre and post, paired`, () => {
      const plan = planScaffold(app, PARAMS[app] ?? {});
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vmsnapshot-behaviour-'));
      try {
        const scripts = plan.files.filter((file) => file.role === 'pre' || file.role === 'post').map((file) => {
          const localPath = path.join(dir, file.name);
          fs.writeFileSync(localPath, file.content, { mode: 0o700 });
          return { side: file.role as 'pre' | 'post', localPath, vmPath: file.vmPath };
        });
        const found = checkScriptsBehaviour(scripts, { fileSystem: nodeFileSystem, resolve: (vm) => path.join(dir, path.basename(vm)), timeoutSeconds: plan.timeoutSeconds, fsFreezeEnabled: true });
        const loud = found.filter((d) => d.severity === 'error' || d.severity === 'warning');
        assert.deepEqual(loud.map((d) => `${path.basename(d.file ?? '')}:${d.range.start.line + 1} ${d.code} ${d.message}`), []);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe('robustness', () => {
  it('answers any shell-like text with findings whose ranges are inside the text', () => {
    const pieces = ['mysql -e "FLUSH TABLES WITH READ LOCK"', 'docker pause c', '|', '||', '&&', '&', ';', '\n', 'if ', 'then ', 'elif ', 'else ', 'fi', '$?', 'exit 2', 'rc=$?', '<<EOF\nBEGIN BACKUP\nEOF\n', '( sleep 9 ) &', 'f() {', '}', 'sudo ', '<password>', '# x', '"', "'", '$(', ')', '`'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), fc.constantFrom<'pre' | 'post' | undefined>('pre', 'post', undefined), (parts, side) => {
        const text = parts.join(' ');
        const lines = text.split('\n');
        for (const finding of find(text, { side, timeoutSeconds: 5 })) {
          for (const position of [finding.range.start, finding.range.end]) {
            assert.ok(position.line < lines.length && position.character <= lines[position.line].length, `${finding.code} outside the text`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on odd text', () => {
    for (const text of ['', '(((((', 'if', 'exit $', '$?', 'a | | b', 'cat <<EOF\n', '"unterminated', ')'.repeat(50), '$('.repeat(100)]) {
      assert.doesNotThrow(() => find(text, { side: 'pre', timeoutSeconds: 10 }));
    }
  });
});
