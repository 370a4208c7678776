#!/bin/sh
# Run by the Azure backup agent as `sh post-script.sh --log FILE` after the snapshot,
# even when the pre-script failed or timed out.
log=/var/log/azure-backup-prepost.log
[ "$1" = "--log" ] && [ -n "$2" ] && log=$2
exec >>"$log" 2>&1
echo "$(date -u '+%Y-%m-%dT%H:%M:%SZ') post-script: nothing to resume"
exit 0
