#!/bin/sh
# Run by the Azure backup agent as `sh pre-script.sh --log FILE` before the snapshot.
# POSIX sh only: the agent ignores the shebang and Debian's sh is dash.
log=/var/log/azure-backup-prepost.log
[ "$1" = "--log" ] && [ -n "$2" ] && log=$2
# The agent never reads stdout/stderr: a full pipe would block the script, so log to a file.
exec >>"$log" 2>&1
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') pre-script: flushing file systems"
sync
exit 0
