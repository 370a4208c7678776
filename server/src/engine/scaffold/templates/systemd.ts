// Shell text of the systemd template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `# Uses its own loop variable: sh has no local variables, and the caller loops too.
# Starts again exactly the units the pre-script stopped (listed in stopped.list before each
# stop, so a pre-script killed half-way is undone too), never one that was already stopped.
resume() {
  [ -f "$state_dir/stopped.list" ] || return 0
  resume_status=0
  while read -r stopped_unit; do
    [ -n "$stopped_unit" ] || continue
    systemctl start "$stopped_unit" </dev/null || log "systemctl start $stopped_unit failed"
    if systemctl is-active --quiet "$stopped_unit" </dev/null; then
      log "started $stopped_unit"
    else
      log "$stopped_unit is not active"
      resume_status=1
    fi
  done <"$state_dir/stopped.list"
  if [ "$resume_status" -eq 0 ]; then
    rm -f "$state_dir/stopped.list"
  fi
  return "$resume_status"
}
`;

export const pre = `check_lock_seconds
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
unmark
mark started
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
    unmark
    fail "could not stop $unit"
  fi
  log "stopped $unit"
done
# What the units wrote is flushed, so that even a snapshot without the freeze holds it.
sync
mark quiesced
log "quiesced: stopped $(tr '\\n' ' ' <"$state_dir/stopped.list")until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `prepare_state_dir
log "starting: starting the stopped units"
begin_post "some units an earlier run stopped are not running again"
problem=$(marker_problem "the watchdog started the units again after lock_seconds, before the post-script" \\
  "the pre-script did not finish stopping the units (it was killed, or is still running)")
if [ -z "$problem" ] && [ -f "$state_dir/stopped.list" ]; then
  while read -r stopped_unit; do
    if [ -n "$stopped_unit" ] && systemctl is-active --quiet "$stopped_unit" </dev/null; then
      problem="$stopped_unit was started again before the post-script"
    fi
  done <"$state_dir/stopped.list"
fi
resume || fail "some units are not running again"
end_post "every unit the pre-script stopped stayed stopped until now and is active again"
`;
