/** Scripts that the behaviour tests share with the DB tests, which run their SQL for real. */

/** The held-session pattern of the PostgreSQL scaffold, written with the pre-15 calls. */
export const HELD_PG_PRE = `#!/bin/sh
state=/var/lib/vmsnapshot
rm -f "$state/hold.fifo"
mkfifo -m 600 "$state/hold.fifo" || exit 1
psql -X -v ON_ERROR_STOP=1 <"$state/hold.fifo" >"$state/hold.out" 2>&1 &
echo $! >"$state/hold.pid"
(
  cat <<SQL
SELECT pg_start_backup('nightly', true, false);
SQL
  exec sleep 180
) >"$state/hold.fifo" &
exit 0
`;

export const HELD_PG_POST = `#!/bin/sh
state=/var/lib/vmsnapshot
[ -f "$state/hold.pid" ] || exit 0
cat >"$state/hold.fifo" <<SQL
SELECT * FROM pg_stop_backup(false, true);
SQL
rm -f "$state/hold.pid"
exit 0
`;
