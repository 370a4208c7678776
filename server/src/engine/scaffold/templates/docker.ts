// Shell text of the docker template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.

export const lib = `# Uses its own loop variable: sh has no local variables, and the caller loops too.
# Unpauses exactly the containers the pre-script paused (listed in paused.list before each
# pause, so a pre-script killed half-way is undone too).
resume() {
  [ -f "$state_dir/paused.list" ] || return 0
  resume_status=0
  while read -r paused_container; do
    [ -n "$paused_container" ] || continue
    if [ "$(docker inspect --format '{{.State.Paused}}' "$paused_container" </dev/null)" = true ]; then
      docker unpause "$paused_container" </dev/null >/dev/null || log "docker unpause $paused_container failed"
    fi
    if [ "$(docker inspect --format '{{.State.Paused}}' "$paused_container" </dev/null)" = false ]; then
      log "unpaused $paused_container"
    else
      log "$paused_container is still paused, or gone"
      resume_status=1
    fi
  done <"$state_dir/paused.list"
  if [ "$resume_status" -eq 0 ]; then
    rm -f "$state_dir/paused.list"
  fi
  return "$resume_status"
}
`;

export const pre = `check_lock_seconds
if [ -z "$containers" ]; then
  fail "no container= parameter: name the containers to pause in preScriptParams"
fi
for container in $containers; do
  is_plain_name "$container" || fail "not a plain container name: $container"
done
prepare_state_dir
log "starting: pausing$containers for \${lock_seconds}s at most"
stop_recorded "$state_dir/watchdog.pid"
resume || fail "cannot unpause the containers an earlier run paused"
: >"$state_dir/paused.list"
unmark
mark started
start_watchdog
for container in $containers; do
  if [ "$(docker inspect --format '{{.State.Running}} {{.State.Paused}}' "$container")" != 'true false' ]; then
    log "$container is not running, or already paused; leaving it alone"
    continue
  fi
  printf '%s\\n' "$container" >>"$state_dir/paused.list"
  if ! docker pause "$container" >/dev/null \\
    || [ "$(docker inspect --format '{{.State.Paused}}' "$container")" != true ]; then
    stop_recorded "$state_dir/watchdog.pid"
    resume
    unmark
    fail "could not pause $container"
  fi
  log "paused $container"
done
# What the containers wrote is flushed, so that even a snapshot without the freeze holds it.
sync
mark quiesced
log "quiesced: paused $(tr '\\n' ' ' <"$state_dir/paused.list")until the post-script, \${lock_seconds}s at most"
exit 0
`;

export const post = `prepare_state_dir
log "starting: unpausing the paused containers"
begin_post "some containers an earlier run paused are still paused"
problem=$(marker_problem "the watchdog unpaused the containers after lock_seconds, before the post-script" \\
  "the pre-script did not finish pausing the containers (it was killed, or is still running)")
if [ -z "$problem" ] && [ -f "$state_dir/paused.list" ]; then
  while read -r paused_container; do
    if [ -n "$paused_container" ] && [ "$(docker inspect --format '{{.State.Paused}}' "$paused_container" </dev/null)" != true ]; then
      problem="$paused_container was unpaused before the post-script"
    fi
  done <"$state_dir/paused.list"
fi
resume || fail "some containers are still paused"
end_post "every container the pre-script paused stayed paused until now and runs again"
`;
