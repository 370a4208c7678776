// Shell text of the mysql template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `# Debian ships the client as mariadb; older systems and MySQL call it mysql.
if [ -z "$client" ]; then
  client=$(command -v mariadb || command -v mysql) || client=mysql
fi
if ! is_plain_path "$options_file"; then
  fail "options_file must be an absolute path of plain characters: $options_file"
fi

# Credentials come from the root-only options file, never from the command line, where ps
# shows them to every user.
sql() {
  "$client" --defaults-extra-file="$options_file" --batch --skip-column-names "$@"
}

# Runs one statement and prints its result; on failure logs the client's own error, so the log
# names the real cause (access denied, no server, ...).
query() {
  if ! sql -e "$1" 2>"$state_dir/client.err"; then
    log "$client: $(tr '\\n' ' ' <"$state_dir/client.err")"
    return 1
  fi
}

holder_connection() {
  sed -n 's/^vmsnapshot-conn \\([0-9][0-9]*\\)$/\\1/p' "$state_dir/holder.out" 2>/dev/null | head -n 1
}

# Ends the session that holds the lock. Killing the client is not enough: the server keeps a
# session that sleeps in SLEEP() until it notices the disconnect. So the session is killed on the
# server, found by the id the holder printed first and by its hold statement, which also finds
# holders left by earlier runs.
release_lock() {
  connection=$(holder_connection)
  match="ID <> CONNECTION_ID() AND (ID = \${connection:-0} OR INFO LIKE '%vmsnapshot-hold%')"
  ids=$(query "SELECT ID FROM information_schema.PROCESSLIST WHERE $match") || return 1
  for id in $ids; do
    if sql -e "KILL CONNECTION $id" 2>/dev/null; then
      log "ended session $id, which held the lock"
    fi
  done
  stop_recorded "$state_dir/holder.pid"
  tries=0
  while :; do
    left=$(query "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE $match") || return 1
    [ "$left" = 0 ] && break
    tries=$((tries + 1))
    if [ "$tries" -ge 10 ]; then
      log "a lock session is still there after \${tries}s"
      return 1
    fi
    sleep 1
  done
  rm -f "$state_dir/holder.sql"
  return 0
}
`;

export const pre = `check_lock_seconds
if ! check_private_file "$options_file"; then
  fail "no usable options file: create $options_file (mode 600, owner root) with a [client] section"
fi
prepare_state_dir
log "starting: FLUSH TABLES WITH READ LOCK, held for \${lock_seconds}s at most"
unmark
query 'SELECT 1' >/dev/null || fail "cannot connect with $options_file"
# A hold left by an earlier run would make this one wait for itself.
release_lock || fail "cannot end the lock session of an earlier run"
rm -f "$state_dir/holder.out"

# Waiting for the lock is bounded too: long queries can keep FLUSH TABLES WITH READ LOCK waiting,
# and the agent's own time limit must not run out first.
acquire=$((lock_seconds / 3))
if [ "$acquire" -lt 2 ]; then
  acquire=2
fi
if [ "$acquire" -gt 20 ]; then
  acquire=20
fi
# The lock lives as long as the session that took it, so one client stays connected in the
# background and ends by itself after lock_seconds; the post-script ends it sooner.
cat >"$state_dir/holder.sql" <<SQL
SELECT CONCAT('vmsnapshot-conn ', CONNECTION_ID());
SET SESSION lock_wait_timeout = $acquire;
FLUSH TABLES WITH READ LOCK;
SELECT 'vmsnapshot-locked';
SELECT 'vmsnapshot-hold', SLEEP($lock_seconds);
SQL
: >"$state_dir/holder.out"
mark started
"$client" --defaults-extra-file="$options_file" --batch --skip-column-names --unbuffered \\
  <"$state_dir/holder.sql" >"$state_dir/holder.out" 2>&1 &
record_pid "$state_dir/holder.pid" "$!"

waited=0
while ! grep -qx 'vmsnapshot-locked' "$state_dir/holder.out"; do
  if ! recorded_alive "$state_dir/holder.pid"; then
    log "the lock session ended without the lock: $(tr '\\n' ' ' <"$state_dir/holder.out")"
    release_lock
    unmark
    exit 1
  fi
  if [ "$waited" -ge $((acquire + 10)) ]; then
    log "no lock after \${waited}s"
    release_lock
    unmark
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
mark quiesced
log "quiesced: session $(holder_connection) holds FLUSH TABLES WITH READ LOCK until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `# Why the lock session ended, from what it printed: its SLEEP ran out (lock_seconds), the
# server interrupted it (max_statement_time, KILL QUERY), or it was cut off without a word.
lock_end_reason() {
  if grep -q '^vmsnapshot-hold[[:space:]]0$' "$state_dir/holder.out" 2>/dev/null; then
    echo "its bound, the pre-script's lock_seconds, ran out"
  elif grep -Eqi 'max_statement_time|max_execution_time' "$state_dir/holder.out" 2>/dev/null; then
    echo "the server's max_statement_time ended the lock session: $(grep -Ei 'max_statement_time|max_execution_time' "$state_dir/holder.out" | head -n 1)"
  elif grep -q '^vmsnapshot-hold[[:space:]]1$' "$state_dir/holder.out" 2>/dev/null; then
    echo "the lock session's SLEEP was interrupted (KILL QUERY)"
  elif grep -q '^ERROR' "$state_dir/holder.out" 2>/dev/null; then
    echo "the lock session failed: $(grep '^ERROR' "$state_dir/holder.out" | head -n 1)"
  else
    echo "the lock session was ended from outside (killed, or the server restarted)"
  fi
}

# Succeeds while the session the pre-script opened still holds the lock on the server.
lock_held() {
  connection=$(holder_connection)
  [ -n "$connection" ] || return 1
  held=$(query "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = $connection AND INFO LIKE '%vmsnapshot-hold%'") || return 2
  [ "$held" = 1 ]
}

prepare_state_dir
log "starting: releasing the lock"
if ! marked started; then
  # Nothing of a pre-script is left to undo, whatever state the server is in; a holder of an
  # earlier run that is still recorded is ended all the same.
  if recorded_alive "$state_dir/holder.pid"; then
    release_lock || log "could not end the lock session of an earlier run"
  fi
  log "done: nothing to undo (no pre-script ran since the last post-script, or it cleaned up after failing)"
  exit 0
fi
if ! check_private_file "$options_file"; then
  log "the options file is not usable; trying anyway"
fi
if ! marked quiesced; then
  release_lock
  unmark
  fail "the pre-script did not take the lock (it was killed, or is still waiting): nothing was quiesced"
fi
lock_held
held=$?
if [ "$held" -eq 2 ]; then
  unmark
  fail "cannot tell whether the lock held until now (see the error above): not reporting a consistency that may not have been there"
fi
if [ "$held" -ne 0 ]; then
  reason=$(lock_end_reason)
  release_lock
  unmark
  fail "the lock ended before the post-script: $reason; this snapshot is not application-consistent"
fi
since=$(cat "$state_dir/quiesced")
if ! release_lock; then
  unmark
  fail "could not confirm that the lock is released (a lock session ends by itself after its lock_seconds)"
fi
unmark
log "resumed: the lock held from $since until now, and is released"
exit 0
`;
