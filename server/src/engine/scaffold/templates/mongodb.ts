// Shell text of the mongodb template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `if ! is_plain_path "$uri_file"; then
  fail "uri_file must be an absolute path of plain characters: $uri_file"
fi

# Runs JavaScript in mongosh. The connection string, password included, is read from the
# root-only file inside JavaScript, so it never appears on a command line that ps shows.
mongo_js() {
  printf '%s\\n' \\
    "const uri = require('fs').readFileSync(process.env.VMSNAPSHOT_URI_FILE, 'utf8').trim();" \\
    "const admin = connect(uri).getSiblingDB('admin');" \\
    "$1" >"$state_dir/command.js"
  VMSNAPSHOT_URI_FILE=$uri_file "$mongosh" --nodb --quiet --norc "$state_dir/command.js"
}

# fsyncLock outlives the session that took it: the server stays locked until an fsyncUnlock.
# The marker file is claimed by a rename, so the watchdog and the post-script unlock only once,
# and never a lock somebody else took.
resume() {
  mv -f "$state_dir/locked" "$state_dir/unlocking.$$" 2>/dev/null || return 0
  if mongo_js "const r = admin.runCommand({ fsyncUnlock: 1 }); print('lockCount ' + r.lockCount); if (r.ok !== 1) quit(1);"; then
    log "fsyncUnlock done"
    rm -f "$state_dir/unlocking.$$"
    return 0
  fi
  log "fsyncUnlock failed"
  mv -f "$state_dir/unlocking.$$" "$state_dir/locked"
  return 1
}
`;

export const pre = `check_lock_seconds
if ! check_private_file "$uri_file"; then
  unmark
  fail "no usable connection file: put the mongodb:// URI in $uri_file (mode 600, owner root)"
fi
prepare_state_dir
log "starting: fsyncLock, held for \${lock_seconds}s at most"
stop_recorded "$state_dir/watchdog.pid"
resume || fail "cannot undo the lock of an earlier run"
# The watchdog starts before the lock, so that even a pre-script killed half-way is undone.
: >"$state_dir/locked"
unmark
mark started
start_watchdog
if ! mongo_js "const r = admin.runCommand({ fsync: 1, lock: true }); print('lockCount ' + r.lockCount); if (r.ok !== 1) quit(1);"; then
  rm -f "$state_dir/locked"
  stop_recorded "$state_dir/watchdog.pid"
  unmark
  fail "fsyncLock failed"
fi
if ! mongo_js "if (admin.currentOp().fsyncLock !== true) quit(1);"; then
  stop_recorded "$state_dir/watchdog.pid"
  resume
  unmark
  fail "the server does not report the fsync lock"
fi
mark quiesced
log "quiesced: writes are locked with fsyncLock until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `prepare_state_dir
log "starting: fsyncUnlock"
begin_post "cannot undo the lock of an earlier run"
problem=$(marker_problem "the watchdog unlocked after lock_seconds, before the post-script" \\
  "the pre-script did not finish (it was killed, or is still running)")
resume || fail "fsyncUnlock failed; the server stays locked until an fsyncUnlock"
if ! mongo_js "if (admin.currentOp().fsyncLock === true) { print('still locked'); quit(1); }"; then
  fail "the server still reports an fsync lock (another lock, or the server is unreachable)"
fi
end_post "the server is not fsync-locked"
`;
