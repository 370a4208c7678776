// Shell text of the postgresql template, embedded so that the bundled server and the VSIX need no
// extra files. POSIX sh only: the agent runs it with dash. Tests run sh -n and ShellCheck on it.
//
// What makes a VM snapshot of PostgreSQL restorable is the agent's freeze: every file system of
// the cluster (data, WAL, tablespaces) is snapshotted at one frozen instant, which PostgreSQL
// recovers like a crash (its documentation on file-system snapshots). So the pre-script checks
// that they are all on file systems the agent freezes and shortens recovery with a CHECKPOINT.
// Backup mode with a label is used only on request (backup_mode=on) and only with WAL archiving:
// its end-of-backup record is written by the post-script, after the snapshot, so only WAL from
// the archive can complete it.

export const lib = `if ! is_plain_path "$service_file"; then
  fail "service_file must be an absolute path of plain characters: $service_file"
fi
if ! is_plain_name "$service"; then
  fail "service must be a plain name: $service"
fi
if ! is_plain_path "$label_dir"; then
  fail "label_dir must be an absolute path of plain characters: $label_dir"
fi
# Connection settings and credentials come from the root-only service file (and the passfile
# it may name), never from the command line, where ps shows them to every user.
PGSERVICEFILE=$service_file
PGSERVICE=$service
PGCONNECT_TIMEOUT=10
export PGSERVICEFILE PGSERVICE PGCONNECT_TIMEOUT

# Runs one query and prints its result; on failure logs psql's own error, so the log names the
# real cause (access denied, no server, ...).
pg_query() {
  if ! PGAPPNAME=vmsnapshot-control "$psql" -X -q -A -t -v ON_ERROR_STOP=1 -c "$1" 2>"$state_dir/psql.err"; then
    log "psql: $(tr '\\n' ' ' <"$state_dir/psql.err")"
    return 1
  fi
}

hold_match="application_name = 'vmsnapshot-hold' AND pid <> pg_backend_pid()"

# Ends every session that holds a backup these scripts started: PostgreSQL aborts a
# non-exclusive backup when its session ends.
end_hold_sessions() {
  stop_recorded "$state_dir/feeder.pid"
  stop_recorded "$state_dir/hold.pid"
  pg_query "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE $hold_match" >/dev/null || return 1
  tries=0
  while :; do
    left=$(pg_query "SELECT count(*) FROM pg_stat_activity WHERE $hold_match") || return 1
    [ "$left" = 0 ] && return 0
    tries=$((tries + 1))
    if [ "$tries" -ge 10 ]; then
      log "a backup session is still there after \${tries}s"
      return 1
    fi
    sleep 1
  done
}
`;

export const pre = `check_lock_seconds
case $backup_mode in
  on | off) ;;
  *) fail "backup_mode must be on or off: $backup_mode" ;;
esac
if ! is_plain_path "$vmbackup_conf"; then
  fail "vmbackup_conf must be an absolute path of plain characters: $vmbackup_conf"
fi
if ! check_private_file "$service_file"; then
  fail "no usable service file: create $service_file (mode 600, owner root) with a [$service] section"
fi
prepare_state_dir
log "starting: file-system checks and CHECKPOINT (backup_mode=$backup_mode)"
unmark
pg_query 'SELECT 1' >/dev/null || fail "cannot query PostgreSQL with the [$service] section of $service_file"
if recorded_alive "$state_dir/hold.pid"; then
  end_hold_sessions || fail "cannot end the backup session of an earlier run"
fi
rm -f "$state_dir/hold.fifo" "$state_dir/hold.out" "$state_dir/start.lsn" "$state_dir/label.tmp" "$state_dir/spcmap.tmp"

# MountsToSkip of the agent's vmbackup.conf ([SnapshotThread], key in any case), as the agent
# reads it: split on commas, nothing trimmed.
skipped_mounts=''
if [ -f "$vmbackup_conf" ]; then
  skipped_mounts=$(awk '/^\\[/ { section = $0; next }
    section == "[SnapshotThread]" {
      key = $0
      sub(/[=:].*/, "", key)
      gsub(/[ \\t]/, "", key)
      if (tolower(key) == "mountstoskip") { value = $0; sub(/^[^=:]*[=:][ \\t]*/, "", value); sub(/[ \\t\\r]*$/, "", value); print value }
    }' "$vmbackup_conf")
fi

# Succeeds when the agent freezes the file system that holds folder $1: ext3, ext4, xfs or btrfs
# on a block device that is not a loop device, and not listed in MountsToSkip (/ always is
# frozen). Network, fuse, tmpfs and overlay file systems are never frozen.
check_frozen() {
  if ! found=$(findmnt -n -r -o TARGET,FSTYPE,SOURCE -T "$1" 2>&1); then
    log "cannot tell the file system of $1: $found"
    return 1
  fi
  read -r mount_target mount_type mount_source <<EOF
$found
EOF
  case $mount_type in
    ext3 | ext4 | xfs | btrfs) ;;
    *)
      log "$1 is on $mount_target ($mount_type), which the agent never freezes (only ext3, ext4, xfs and btrfs are)"
      return 1
      ;;
  esac
  case $mount_source in
    /dev/loop*)
      log "$1 is on $mount_target, a loop device, which the agent never freezes"
      return 1
      ;;
    /dev/*) ;;
    *)
      log "$1 is on $mount_target ($mount_source), not a block device, which the agent never freezes"
      return 1
      ;;
  esac
  if [ "$mount_target" != / ]; then
    case ",$skipped_mounts," in
      *",$mount_target,"*)
        log "$1 is on $mount_target, which MountsToSkip in $vmbackup_conf keeps from the freeze"
        return 1
        ;;
    esac
  fi
  case " $frozen_mounts " in
    *" $mount_target "*) ;;
    *) frozen_mounts="$frozen_mounts $mount_target" ;;
  esac
  return 0
}

# Everything PostgreSQL writes: the data folder, the WAL folder (pg_wal is often a link to
# another disk) and every tablespace. Reading data_directory needs superuser or
# pg_read_all_settings.
data_dir=$(pg_query 'SHOW data_directory') || fail "cannot read data_directory (the role needs pg_read_all_settings)"
tablespaces=$(pg_query "SELECT pg_tablespace_location(oid) FROM pg_tablespace WHERE pg_tablespace_location(oid) <> ''") \\
  || fail "cannot list the tablespaces"
wal_dir=$(readlink -f "$data_dir/pg_wal") || wal_dir=$data_dir/pg_wal
frozen_mounts=''
unfrozen=0
check_frozen "$data_dir" || unfrozen=1
check_frozen "$wal_dir" || unfrozen=1
while read -r tablespace; do
  [ -n "$tablespace" ] || continue
  check_frozen "$tablespace" || unfrozen=1
done <<EOF
$tablespaces
EOF
if [ "$unfrozen" -ne 0 ]; then
  fail "part of the cluster is on a file system the agent does not freeze: its snapshot is not taken at one frozen instant and may not restore"
fi

if [ "$backup_mode" = on ]; then
  archiving=$(pg_query "SELECT current_setting('archive_mode') <> 'off' AND (current_setting('archive_command') <> '' OR coalesce(current_setting('archive_library', true), '') <> '')") \\
    || fail "cannot read the archive settings"
  if [ "$archiving" != t ]; then
    fail "backup_mode=on needs WAL archiving (archive_mode and archive_command): the end-of-backup record is written after the snapshot, so only WAL from an archive can complete a restore with the label"
  fi
fi

echo "$backup_mode" >"$state_dir/mode"
mark started
# A checkpoint now leaves little WAL to replay when the snapshot is recovered. It needs
# superuser or, from PostgreSQL 15, pg_checkpoint.
pg_query 'CHECKPOINT' >/dev/null || fail "CHECKPOINT failed (the role needs pg_checkpoint)"
if [ "$backup_mode" = off ]; then
  mark quiesced
  log "ready: CHECKPOINT done; data, WAL and tablespaces are on file systems the agent freezes (\${frozen_mounts# }), so the snapshot restores by crash recovery; writes go on until the freeze"
  exit 0
fi

# Backup mode: a non-exclusive backup lasts as long as the session that started it, and
# pg_backup_stop() must run in that same session. So one psql stays connected in the
# background, reading its commands from a FIFO: this script writes the start, the post-script
# writes the stop. The writer that keeps the FIFO open ends by itself after lock_seconds; psql
# then reads end-of-file, exits, and PostgreSQL aborts the backup.
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

acquire=$((lock_seconds / 3))
if [ "$acquire" -lt 2 ]; then
  acquire=2
fi
waited=0
while ! grep -Eqx '[0-9A-F]+/[0-9A-F]+' "$state_dir/start.lsn" 2>/dev/null; do
  if ! recorded_alive "$state_dir/hold.pid"; then
    log "the backup session ended without starting a backup: $(tr '\\n' ' ' <"$state_dir/hold.out")"
    end_hold_sessions
    unmark
    exit 1
  fi
  if [ "$waited" -ge $((acquire + 10)) ]; then
    log "pg_backup_start did not return within \${waited}s"
    end_hold_sessions
    unmark
    exit 1
  fi
  sleep 1
  waited=$((waited + 1))
done
lsn=$(cat "$state_dir/start.lsn")
# Inside the snapshot: which saved label belongs to it (see the README's restore notes).
if ! mkdir -p "$label_dir" || ! chmod 700 "$label_dir" || ! printf '%s\\n' "$lsn" >"$label_dir/snapshot-backup"; then
  end_hold_sessions
  unmark
  fail "cannot write $label_dir/snapshot-backup"
fi
mark quiesced
log "ready: backup mode on from WAL location $lsn until the post-script, \${lock_seconds}s at most; writes go on until the freeze"
exit 0
`;

export const post = `prepare_state_dir
log "starting"
if ! marked started; then
  # Nothing of a pre-script is left to undo, whatever state the server is in; a backup session
  # of an earlier run that is still recorded is ended all the same.
  if recorded_alive "$state_dir/hold.pid"; then
    end_hold_sessions || log "could not end the backup session of an earlier run"
  fi
  log "done: nothing to undo (no pre-script ran since the last post-script, or it cleaned up after failing)"
  exit 0
fi
mode=$(cat "$state_dir/mode" 2>/dev/null)
if [ "$mode" != on ]; then
  if ! marked quiesced; then
    unmark
    fail "the pre-script did not finish its checks and CHECKPOINT (it was killed, or is still running)"
  fi
  unmark
  log "done: nothing to undo; the CHECKPOINT was done and the agent's freeze held the writes"
  exit 0
fi

lsn=$(cat "$state_dir/start.lsn" 2>/dev/null)
if ! marked quiesced; then
  end_hold_sessions
  unmark
  fail "the pre-script did not start backup mode (it was killed, or is still waiting): this snapshot has no backup label"
fi
if ! recorded_alive "$state_dir/hold.pid"; then
  end_hold_sessions
  unmark
  fail "backup mode ended before the post-script (after lock_seconds, or its session was ended: $(tr '\\n' ' ' <"$state_dir/hold.out")): this snapshot has no backup label"
fi

# wait_for_archive false: the wait inside pg_backup_stop has no bound of its own, and the
# agent's time limit must not run out in it; the wait for the archiver is done below, bounded.
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
\\o '$state_dir/stop.lsn'
\\qecho :vmsnapshot_lsn
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
status=0
if grep -q "^START WAL LOCATION: $lsn " "$state_dir/label.tmp" 2>/dev/null; then
  # The label exists only now, after the snapshot: it is kept in label_dir under the start
  # location that the snapshot's own snapshot-backup file names, and flushed to disk.
  name=$(printf '%s' "$lsn" | tr / -)
  if cp "$state_dir/label.tmp" "$label_dir/backup_label.$name.tmp" \\
    && mv -f "$label_dir/backup_label.$name.tmp" "$label_dir/backup_label.$name"; then
    if grep -q '[^[:space:]]' "$state_dir/spcmap.tmp" 2>/dev/null; then
      cp "$state_dir/spcmap.tmp" "$label_dir/tablespace_map.$name"
    fi
    sync "$label_dir" "$label_dir/backup_label.$name" 2>/dev/null || sync
    log "backup label saved as $label_dir/backup_label.$name"
  else
    log "cannot save the backup label in $label_dir"
    status=1
  fi
else
  log "pg_backup_stop gave no label for WAL location $lsn: $(tr '\\n' ' ' <"$state_dir/hold.out")"
  status=1
fi
stop_lsn=$(cat "$state_dir/stop.lsn" 2>/dev/null)
stop_recorded "$state_dir/feeder.pid"
if ! end_hold_sessions; then
  status=1
  log "could not confirm that the backup session ended"
fi
rm -f "$state_dir/start.lsn" "$state_dir/stop.lsn" "$state_dir/label.tmp" "$state_dir/spcmap.tmp" "$state_dir/hold.fifo"
unmark
if [ "$status" -ne 0 ]; then
  fail "backup mode is off, but this snapshot has no saved backup label"
fi
# A restore with the label needs the WAL up to the backup's end in the archive; the wait is
# bounded so that the agent's time limit is not spent on a slow archiver.
if [ -n "$stop_lsn" ]; then
  waited=0
  archived=''
  while [ "$waited" -lt 20 ]; do
    archived=$(pg_query "SELECT coalesce(last_archived_wal, '') >= pg_walfile_name('$stop_lsn') FROM pg_stat_archiver") || break
    [ "$archived" = t ] && break
    sleep 1
    waited=$((waited + 1))
  done
  if [ "$archived" = t ]; then
    log "the archive holds the WAL up to the backup's end ($stop_lsn)"
  else
    log "the WAL up to the backup's end ($stop_lsn) is not archived yet; the archiver copies it later (see pg_stat_archiver)"
  fi
fi
log "resumed: backup mode is off"
exit 0
`;
