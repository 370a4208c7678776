"use strict";
// Shell text of the mysql template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.post = exports.pre = exports.lib = void 0;
exports.lib = `# Debian ships the client as mariadb; older systems and MySQL call it mysql.
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
  if ! ids=$(sql -e "SELECT ID FROM information_schema.PROCESSLIST WHERE $match"); then
    log "cannot reach the server to release the lock"
    return 1
  fi
  for id in $ids; do
    if sql -e "KILL CONNECTION $id" 2>/dev/null; then
      log "ended session $id, which held the lock"
    fi
  done
  stop_recorded "$state_dir/holder.pid"
  tries=0
  while :; do
    if ! left=$(sql -e "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE $match"); then
      log "cannot reach the server to confirm the lock is gone"
      return 1
    fi
    [ "$left" = 0 ] && break
    tries=$((tries + 1))
    if [ "$tries" -ge 10 ]; then
      log "a lock session is still there after \${tries}s"
      return 1
    fi
    sleep 1
  done
  rm -f "$state_dir/holder.out" "$state_dir/holder.sql"
  return 0
}
`;
exports.pre = `check_lock_seconds
if ! check_private_file "$options_file"; then
  fail "no usable options file: create $options_file (mode 600, owner root) with a [client] section"
fi
prepare_state_dir
log "starting: FLUSH TABLES WITH READ LOCK, held for \${lock_seconds}s at most"
# A hold left by an earlier run would make this one wait for itself.
release_lock || fail "cannot release the lock of an earlier run"

# Waiting for the lock is bounded too: long queries can keep FLUSH TABLES WITH READ LOCK waiting,
# and the agent's own time limit must not run out first.
acquire=$((lock_seconds / 3))
if [ "$acquire" -lt 2 ]; then
  acquire=2
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
"$client" --defaults-extra-file="$options_file" --batch --skip-column-names --unbuffered \\
  <"$state_dir/holder.sql" >"$state_dir/holder.out" 2>&1 &
record_pid "$state_dir/holder.pid" "$!"

waited=0
while ! grep -qx 'vmsnapshot-locked' "$state_dir/holder.out"; do
  if ! recorded_alive "$state_dir/holder.pid"; then
    log "the lock session ended without the lock: $(tr '\\n' ' ' <"$state_dir/holder.out")"
    release_lock
    exit 1
  fi
  if [ "$waited" -ge $((acquire + 10)) ]; then
    log "no lock after \${waited}s"
    release_lock
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
log "quiesced: session $(holder_connection) holds FLUSH TABLES WITH READ LOCK until the post-script, \${lock_seconds}s at most"
exit 0
`;
exports.post = `prepare_state_dir
log "starting: releasing the lock"
if ! check_private_file "$options_file"; then
  log "the options file is not usable; trying anyway"
fi
if release_lock; then
  log "resumed: no session holds the vmsnapshot lock"
  exit 0
fi
fail "could not confirm that the lock is released (a lock session ends by itself after its lock_seconds)"
`;
//# sourceMappingURL=mysql.js.map