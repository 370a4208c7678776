"use strict";
// Shell text of the generic template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.
Object.defineProperty(exports, "__esModule", { value: true });
exports.post = exports.pre = void 0;
exports.pre = `prepare_state_dir
log "starting: flushing file system buffers"
# The agent freezes the file systems itself (fsfreeze); flushing first makes that freeze short.
if ! sync; then
  fail "sync failed"
fi
date '+%Y-%m-%dT%H:%M:%S%z' >"$state_dir/last-pre"
log "done: buffers flushed; add the application's own quiescing here"
exit 0
`;
exports.post = `prepare_state_dir
log "starting"
if [ -f "$state_dir/last-pre" ]; then
  log "the pre-script ran at $(cat "$state_dir/last-pre")"
  rm -f "$state_dir/last-pre"
else
  log "the pre-script did not finish (or did not run): nothing to undo"
fi
log "done: add the application's own resuming here"
exit 0
`;
//# sourceMappingURL=generic.js.map