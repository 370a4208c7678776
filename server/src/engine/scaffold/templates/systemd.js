"use strict";
// Shell text of the systemd template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.post = exports.pre = exports.lib = void 0;
exports.lib = `# Starts again exactly the units the pre-script stopped (listed in stopped.list before each
# stop, so a pre-script killed half-way is undone too), never one that was already stopped.
resume() {
  [ -f "$state_dir/stopped.list" ] || return 0
  resume_status=0
  while read -r unit; do
    [ -n "$unit" ] || continue
    systemctl start "$unit" </dev/null || log "systemctl start $unit failed"
    if systemctl is-active --quiet "$unit" </dev/null; then
      log "started $unit"
    else
      log "$unit is not active"
      resume_status=1
    fi
  done <"$state_dir/stopped.list"
  if [ "$resume_status" -eq 0 ]; then
    rm -f "$state_dir/stopped.list"
  fi
  return "$resume_status"
}
`;
exports.pre = `check_lock_seconds
if [ -z "$services" ]; then
  fail "no service= parameter: name the units to stop in preScriptParams"
fi
for unit in $services; do
  is_plain_name "$unit" || fail "not a plain unit name: $unit"
done
prepare_state_dir
log "starting: stopping$services for \${lock_seconds}s at most"
stop_recorded "$state_dir/watchdog.pid"
resume || fail "cannot start the units an earlier run stopped"
: >"$state_dir/stopped.list"
start_watchdog
for unit in $services; do
  if ! systemctl is-active --quiet "$unit"; then
    log "$unit is not running; leaving it alone"
    continue
  fi
  printf '%s\\n' "$unit" >>"$state_dir/stopped.list"
  if ! systemctl stop "$unit" || systemctl is-active --quiet "$unit"; then
    stop_recorded "$state_dir/watchdog.pid"
    resume
    fail "could not stop $unit"
  fi
  log "stopped $unit"
done
log "quiesced: stopped $(tr '\\n' ' ' <"$state_dir/stopped.list")until the post-script, \${lock_seconds}s at most"
exit 0
`;
exports.post = `prepare_state_dir
log "starting: starting the stopped units"
stop_recorded "$state_dir/watchdog.pid"
resume || fail "some units are not running again"
log "resumed: every unit the pre-script stopped is active"
exit 0
`;
//# sourceMappingURL=systemd.js.map