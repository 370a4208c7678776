#!/bin/sh
# The wrapper pattern: a POSIX entry point that hands the real work to bash explicitly.
# Only this file is held to dash's rules; the helpers are bash scripts.
dir=$(dirname "$0")
exec >>"$dir/backup.log" 2>&1
cat > "$dir/main.sh" <<'EOF'
set -euo pipefail
declare -a steps=(freeze flush)
for step in "${steps[@]}"; do [[ -n $step ]] && echo "$step"; done
EOF
bash "$dir/main.sh" "$@"
/bin/bash -c 'arr=(a b); echo "${arr[1]}"'
/usr/bin/env bash -c "source /dev/null && echo sourced"
sudo -n true 2>/dev/null || true
echo "exit=$?"
exit 0
