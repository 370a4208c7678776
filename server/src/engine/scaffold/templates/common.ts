// Shell text of the common template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const helpers = `is_number() {
  case $1 in
    '' | *[!0-9]*) return 1 ;;
  esac
  return 0
}

# Paths and names end up in SQL, in file names and in messages: only plain characters pass.
is_plain_path() {
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9_./-]* | *..*) return 1 ;;
  esac
  return 0
}

is_plain_name() {
  case $1 in
    '' | -* | *[!A-Za-z0-9_.@:-]*) return 1 ;;
  esac
  return 0
}

# Credentials must stay root's: an options file that others can read or change is refused.
check_private_file() {
  if [ ! -f "$1" ]; then
    log "$1 does not exist"
    return 1
  fi
  owner_mode=$(stat -L -c '%u %a' "$1") || return 1
  case $owner_mode in
    '0 '[0-7]00 | '0 0') return 0 ;;
  esac
  log "$1 must be owned by root with mode 600 (owner and mode now: $owner_mode)"
  return 1
}

# A pid alone could name a later, unrelated process: its start time in /proc tells them apart.
# Zombies count as ended.
proc_start() {
  stat_line=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat_rest=\${stat_line##*') '}
  case $stat_rest in
    Z* | X*) return 1 ;;
  esac
  printf '%s\\n' "$stat_rest" | cut -d ' ' -f 20
}

# Records a background process so that the post-script, or a later run, stops exactly that one.
record_pid() {
  printf '%s %s\\n' "$2" "$(proc_start "$2")" >"$1.tmp" && mv -f "$1.tmp" "$1"
}

# Succeeds while the process recorded in file $1 still runs; sets recorded_pid.
recorded_alive() {
  recorded_pid=''
  recorded_start=''
  [ -f "$1" ] || return 1
  read -r recorded_pid recorded_start <"$1" || return 1
  is_number "$recorded_pid" || return 1
  [ -n "$recorded_start" ] && [ "$(proc_start "$recorded_pid")" = "$recorded_start" ]
}

# Stops the process recorded in file $1 if it still runs, and forgets it.
stop_recorded() {
  if recorded_alive "$1"; then
    kill "$recorded_pid" 2>/dev/null && log "stopped process $recorded_pid ($(basename "$1"))"
  fi
  rm -f "$1"
}

# Markers in state_dir tell the post-script how far the pre-script got: "started" from its first
# step that needs undoing, "quiesced" once the application really is, "expired" when the bound ran
# out before the post-script. Each holds the time it was set.
mark() {
  date '+%Y-%m-%dT%H:%M:%S%z' >"$state_dir/$1"
}

marked() {
  [ -f "$state_dir/$1" ]
}

unmark() {
  rm -f "$state_dir/started" "$state_dir/quiesced" "$state_dir/expired"
}

check_lock_seconds() {
  if ! is_number "$lock_seconds" || [ "$lock_seconds" -lt 1 ]; then
    fail "lock_seconds must be a whole number of seconds, at least 1: $lock_seconds"
  fi
}

# The first step of a post-script whose pre-script starts a watchdog: the watchdog is ended, and
# when no pre-script ran since the last post-script, what an earlier run may have left is undone
# ($1 says what stays wrong if that fails) and the script ends: there is nothing else to undo.
begin_post() {
  stop_recorded "$state_dir/watchdog.pid"
  if ! marked started; then
    resume || fail "$1"
    log "done: nothing to undo (no pre-script ran since the last post-script, or it cleaned up after failing)"
    exit 0
  fi
}

# Why the snapshot is not application-consistent, as far as the markers tell: the watchdog undid
# the quiesce before the post-script came ($1), or the pre-script never finished ($2). Prints
# nothing when neither.
marker_problem() {
  if marked expired; then
    echo "$1"
  elif ! marked quiesced; then
    echo "$2"
  fi
}

# The last step of such a post-script, once the application runs again: the markers are cleared,
# and the script fails when $problem says why the snapshot is not application-consistent, or logs
# what was resumed ($1).
end_post() {
  unmark
  if [ -n "$problem" ]; then
    fail "$problem: this snapshot is not application-consistent"
  fi
  log "resumed: $1"
  exit 0
}
`;

export const logging = `# The agent never reads stdout or stderr: they are pipes, and a script that writes 64 KiB to one
# blocks until it times out. So from here on everything goes to the log file.
if ! is_plain_path "$log_file"; then
  exit 3
fi
if ! mkdir -p "$(dirname "$log_file")" >/dev/null 2>&1 || ! touch "$log_file" >/dev/null 2>&1; then
  exit 3
fi
# Keep one older log: a backup runs every day and the log must not fill the disk.
if [ "$(wc -c <"$log_file")" -gt 1048576 ]; then
  mv -f "$log_file" "$log_file.1" >/dev/null 2>&1
fi
exec >>"$log_file" 2>&1 </dev/null

# On stderr, which is the log file too: a log line from inside $(...) is not captured.
log() {
  printf '%s %s[%s]: %s\\n' "$(date '+%Y-%m-%dT%H:%M:%S%z')" "$script" "$$" "$*" >&2
}

fail() {
  log "FAILED: $*"
  exit 1
}

if [ -n "$unknown" ]; then
  # A typo in the pre-script's parameters must not pass silently; the post-script carries on,
  # because giving up there could leave the application frozen.
  if [ "$side" = pre ]; then
    fail "unknown parameters (each must be name=value with a known name):$unknown"
  fi
  log "ignoring unknown parameters:$unknown"
fi
if ! is_plain_path "$state_dir"; then
  fail "state_dir must be an absolute path of plain characters: $state_dir"
fi

# The state folder holds what the post-script needs to undo the pre-script (process ids,
# markers). It is root's alone; /run is emptied at boot, as are the processes it names.
prepare_state_dir() {
  if [ -L "$state_dir" ]; then
    fail "$state_dir is a symbolic link; refusing to use it"
  fi
  if ! mkdir -p "$state_dir" || ! chmod 700 "$state_dir"; then
    fail "cannot create $state_dir"
  fi
}
`;

export const watchdog = `# Undoes the pre-script after lock_seconds when no post-script came: the agent can lose the
# post-script (it never kills a script that timed out, and a VM can be busy), and an application
# frozen for good is far worse than one snapshot that is only crash-consistent.
start_watchdog() {
  (
    sleep "$lock_seconds" &
    sleeper=$!
    trap 'kill "$sleeper" 2>/dev/null; exit 0' TERM
    wait "$sleeper"
    log "watchdog: no post-script within \${lock_seconds}s; resuming by itself"
    mark expired
    resume
  ) &
  record_pid "$state_dir/watchdog.pid" "$!"
}
`;
