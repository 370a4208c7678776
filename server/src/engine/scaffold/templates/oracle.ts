// Shell text of the oracle template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `if ! is_plain_path "$oracle_home" || ! is_plain_name "$oracle_sid" || ! is_plain_name "$oracle_user"; then
  fail "oracle_home, oracle_sid and oracle_user must be plain: $oracle_home $oracle_sid $oracle_user"
fi

# Runs SQL*Plus as the database's owner with operating-system authentication ("/ as sysdba"),
# so there is no password at all. The SQL comes on standard input.
ora() {
  runuser -u "$oracle_user" -- env ORACLE_HOME="$oracle_home" ORACLE_SID="$oracle_sid" \\
    "$oracle_home/bin/sqlplus" -S -L '/ as sysdba'
}

# Backup mode outlives the session that began it. The marker file is claimed by a rename, so
# the watchdog and the post-script end it only once.
resume() {
  mv -f "$state_dir/in-backup" "$state_dir/ending.$$" 2>/dev/null || return 0
  if ora <<'SQL'; then
WHENEVER SQLERROR EXIT FAILURE
ALTER DATABASE END BACKUP;
ALTER SYSTEM ARCHIVE LOG CURRENT;
EXIT
SQL
    log "END BACKUP done"
    rm -f "$state_dir/ending.$$"
    return 0
  fi
  log "END BACKUP failed"
  mv -f "$state_dir/ending.$$" "$state_dir/in-backup"
  return 1
}

# Prints how many data files are in backup mode.
active_files() {
  ora <<'SQL' | tr -d ' \\t' | grep -E '^[0-9]+$'
SET HEADING OFF FEEDBACK OFF PAGESIZE 0
WHENEVER SQLERROR EXIT FAILURE
SELECT COUNT(*) FROM v$backup WHERE status = 'ACTIVE';
EXIT
SQL
}
`;

export const pre = `check_lock_seconds
prepare_state_dir
log "starting: ALTER DATABASE BEGIN BACKUP, held for \${lock_seconds}s at most"
stop_recorded "$state_dir/watchdog.pid"
resume || fail "cannot end the backup mode of an earlier run"
: >"$state_dir/in-backup"
unmark
mark started
start_watchdog
if ! ora <<'SQL'; then
WHENEVER SQLERROR EXIT FAILURE
ALTER SYSTEM ARCHIVE LOG CURRENT;
ALTER DATABASE BEGIN BACKUP;
EXIT
SQL
  stop_recorded "$state_dir/watchdog.pid"
  resume
  unmark
  fail "BEGIN BACKUP failed (the database must run in ARCHIVELOG mode)"
fi
active=$(active_files)
if ! is_number "$active" || [ "$active" -eq 0 ]; then
  stop_recorded "$state_dir/watchdog.pid"
  resume
  unmark
  fail "no data file reports backup mode"
fi
mark quiesced
log "quiesced: $active data files in backup mode until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `prepare_state_dir
log "starting: ALTER DATABASE END BACKUP"
begin_post "cannot end the backup mode of an earlier run"
problem=$(marker_problem "the watchdog ended backup mode after lock_seconds, before the post-script" \\
  "the pre-script did not finish (it was killed, or is still running)")
resume || fail "END BACKUP failed; the database stays in backup mode"
active=$(active_files)
if [ "$active" != 0 ]; then
  fail "data files still in backup mode: \${active:-unknown}"
fi
end_post "no data file is in backup mode"
`;
