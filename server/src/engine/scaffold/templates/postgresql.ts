// Shell text of the postgresql template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `if ! is_plain_path "$service_file"; then
  fail "service_file must be an absolute path of plain characters: $service_file"
fi
if ! is_plain_name "$service"; then
  fail "service must be a plain name: $service"
fi
# Connection settings and credentials come from the root-only service file (and the passfile
# it may name), never from the command line, where ps shows them to every user.
PGSERVICEFILE=$service_file
PGSERVICE=$service
PGCONNECT_TIMEOUT=10
export PGSERVICEFILE PGSERVICE PGCONNECT_TIMEOUT

pg() {
  PGAPPNAME=vmsnapshot-control "$psql" -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

# Ends every session that holds a backup these scripts started: PostgreSQL aborts a
# non-exclusive backup when its session ends.
end_hold_sessions() {
  stop_recorded "$state_dir/feeder.pid"
  stop_recorded "$state_dir/hold.pid"
  match="application_name = 'vmsnapshot-hold' AND pid <> pg_backend_pid()"
  if ! pg -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE $match" >/dev/null; then
    log "cannot reach PostgreSQL to end the backup session"
    return 1
  fi
  tries=0
  while :; do
    if ! left=$(pg -c "SELECT count(*) FROM pg_stat_activity WHERE $match"); then
      log "cannot reach PostgreSQL to confirm the backup session ended"
      return 1
    fi
    [ "$left" = 0 ] && break
    tries=$((tries + 1))
    if [ "$tries" -ge 10 ]; then
      log "a backup session is still there after \${tries}s"
      return 1
    fi
    sleep 1
  done
  return 0
}
`;

export const pre = `check_lock_seconds
if ! check_private_file "$service_file"; then
  fail "no usable service file: create $service_file (mode 600, owner root) with a [$service] section"
fi
prepare_state_dir
log "starting: pg_backup_start, held for \${lock_seconds}s at most"
end_hold_sessions || fail "cannot end the backup session of an earlier run"
rm -f "$state_dir/hold.fifo" "$state_dir/hold.out" "$state_dir/start.lsn" "$state_dir/label.tmp" "$state_dir/spcmap.tmp"

# PostgreSQL 15 removed the exclusive pg_start_backup(). A non-exclusive backup lasts as long as
# the session that started it, and pg_backup_stop() must run in that same session. So one psql
# stays connected in the background, reading its commands from a FIFO: this script writes the
# start, the post-script writes the stop. The writer that keeps the FIFO open ends by itself
# after lock_seconds; psql then reads end-of-file, exits, and PostgreSQL aborts the backup.
if ! mkfifo -m 600 "$state_dir/hold.fifo"; then
  fail "cannot create $state_dir/hold.fifo"
fi
# Before PostgreSQL 15 the same non-exclusive backup is pg_start_backup(label, fast, false).
cat >"$state_dir/hold-start.sql" <<SQL
SELECT current_setting('server_version_num')::int >= 150000 AS vmsnapshot_pg15 \\gset
\\o '$state_dir/start.lsn'
\\if :vmsnapshot_pg15
SELECT pg_backup_start('vmsnapshot', true);
\\else
SELECT pg_start_backup('vmsnapshot', true, false);
\\endif
\\o
SQL
PGAPPNAME=vmsnapshot-hold "$psql" -X -q -A -t -v ON_ERROR_STOP=1 \\
  <"$state_dir/hold.fifo" >"$state_dir/hold.out" 2>&1 &
record_pid "$state_dir/hold.pid" "$!"
(
  cat "$state_dir/hold-start.sql"
  exec sleep "$lock_seconds"
) >"$state_dir/hold.fifo" &
record_pid "$state_dir/feeder.pid" "$!"

# The start asks for an immediate checkpoint, which shortens the crash
# recovery of the snapshot; waiting for it is bounded.
acquire=$((lock_seconds / 3))
if [ "$acquire" -lt 2 ]; then
  acquire=2
fi
waited=0
while ! grep -Eqx '[0-9A-F]+/[0-9A-F]+' "$state_dir/start.lsn" 2>/dev/null; do
  if ! recorded_alive "$state_dir/hold.pid"; then
    log "the backup session ended without starting a backup: $(tr '\\n' ' ' <"$state_dir/hold.out")"
    end_hold_sessions
    exit 1
  fi
  if [ "$waited" -ge $((acquire + 10)) ]; then
    log "pg_backup_start did not return within \${waited}s"
    end_hold_sessions
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
log "quiesced: backup mode on from WAL location $(cat "$state_dir/start.lsn") until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `prepare_state_dir
if ! is_plain_path "$label_dir"; then
  log "label_dir must be an absolute path of plain characters: $label_dir"
  label_dir=$state_dir
fi
log "starting: pg_backup_stop"
status=0
lsn=$(cat "$state_dir/start.lsn" 2>/dev/null)
if [ -n "$lsn" ] && recorded_alive "$state_dir/hold.pid"; then
  # wait_for_archive false: the snapshot already holds the WAL, and waiting for an archiver that
  # may be broken would make this script hang past the agent's time limit.
  cat >"$state_dir/hold-stop.sql" <<SQL
SELECT current_setting('server_version_num')::int >= 150000 AS vmsnapshot_pg15 \\gset
\\if :vmsnapshot_pg15
SELECT * FROM pg_backup_stop(false) \\gset vmsnapshot_
\\else
SELECT * FROM pg_stop_backup(false, false) \\gset vmsnapshot_
\\endif
\\o '$state_dir/label.tmp'
\\qecho :vmsnapshot_labelfile
\\o '$state_dir/spcmap.tmp'
\\qecho :vmsnapshot_spcmapfile
\\o
\\q
SQL
  # Opening the FIFO blocks while nobody reads it, so the writer runs in the background and is
  # stopped if psql is gone.
  cat "$state_dir/hold-stop.sql" >"$state_dir/hold.fifo" &
  writer=$!
  waited=0
  while recorded_alive "$state_dir/hold.pid" && [ "$waited" -lt 30 ]; do
    sleep 1
    waited=$((waited + 1))
  done
  kill "$writer" 2>/dev/null
  if grep -q "^START WAL LOCATION: $lsn " "$state_dir/label.tmp" 2>/dev/null; then
    # The label exists only now, after the snapshot, so it cannot be inside it: it is kept here
    # and goes into the next snapshot. Restoring this snapshot with its label needs a copy kept
    # off the VM; without one, PostgreSQL recovers the snapshot as after a crash.
    name=backup_label.$(date -u '+%Y%m%dT%H%M%SZ')
    if mkdir -p "$label_dir" && chmod 700 "$label_dir" \\
      && cp "$state_dir/label.tmp" "$label_dir/$name.tmp" && mv -f "$label_dir/$name.tmp" "$label_dir/$name"; then
      log "backup label saved as $label_dir/$name"
      if grep -q '[^[:space:]]' "$state_dir/spcmap.tmp" 2>/dev/null; then
        cp "$state_dir/spcmap.tmp" "$label_dir/tablespace_map.\${name#backup_label.}"
      fi
    else
      log "cannot save the backup label in $label_dir"
      status=1
    fi
  else
    log "pg_backup_stop gave no label for WAL location $lsn: $(tr '\\n' ' ' <"$state_dir/hold.out")"
    status=1
  fi
else
  log "no backup session of the pre-script is running (it failed, or ended after its lock_seconds)"
fi
stop_recorded "$state_dir/feeder.pid"
if ! end_hold_sessions; then
  fail "could not confirm that the backup session ended"
fi
rm -f "$state_dir/start.lsn" "$state_dir/label.tmp" "$state_dir/spcmap.tmp" "$state_dir/hold.fifo"
if [ "$status" -ne 0 ]; then
  fail "backup mode is off, but this snapshot has no backup label"
fi
log "resumed: backup mode is off"
exit 0
`;
