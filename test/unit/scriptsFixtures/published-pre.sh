#!/bin/bash
# A pre-script as published for bash: every construct below stops or misleads dash.
set -Eeuo pipefail
LOG=/tmp/pre-script.log
function log {
  echo "$(date) $*" >> "$LOG"
}
if [[ $EUID -ne 0 ]]; then
  log "must run as root"
  exit 1
fi
DATABASES=(app reports)
for db in "${DATABASES[@]}"; do
  log "freezing $db"
done
mysql -e "FLUSH TABLES WITH READ LOCK" |& tee -a "$LOG"
exit 0
