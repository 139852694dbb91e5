#!/usr/bin/env bash
# Makes (once) and starts a streaming replica of the local PostgreSQL server, for the read
# replica tests: a second cluster on port 5433, copied from the primary at 127.0.0.1:5432 by
# pg_basebackup and following it over streaming replication. Debian's cluster tools
# (pg_createcluster, pg_ctlcluster) run it; root or the postgres user runs this script.
#
#   tools/postgres/replica.sh            # prints the replica's server URL when it answers
#
# Environment: PRIMARY_PORT (5432), REPLICA_PORT (5433), REPLICA_NAME (replica).
set -euo pipefail

PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
NAME="${REPLICA_NAME:-replica}"
# The version of the cluster serving the primary's port.
VERSION="$(pg_lsclusters -h | awk -v p="$PRIMARY_PORT" '$3 == p {print $1; exit}')"
if [ -z "$VERSION" ]; then
  echo "no local PostgreSQL cluster listens on port $PRIMARY_PORT" >&2
  exit 1
fi
MAIN_CONF="/etc/postgresql/$VERSION/main"
DATA="/var/lib/postgresql/$VERSION/$NAME"

as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; fi; }
in_recovery() { psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -qAtc 'select pg_is_in_recovery()' 2>/dev/null; }

ready() {
  [ "$(in_recovery)" = t ] || return 1
  # Following the primary now, not only in recovery (a standby that lost the WAL it needs
  # stays in recovery without ever catching up).
  [ "$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -qAtc \
    "select status from pg_stat_wal_receiver" 2>/dev/null)" = streaming ] || return 1
  # Replay paused by a test that was killed before it resumed it goes on.
  psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -qAtc \
    'select pg_wal_replay_resume() where pg_is_wal_replay_paused()' >/dev/null
  echo "postgres://postgres@127.0.0.1:$REPLICA_PORT"
}

ready && exit 0

# The primary lets a local replica connect for replication (trust, as for every local client).
# The first matching line wins, so it goes first, before any stock line asking for a password.
if ! head -n1 "$MAIN_CONF/pg_hba.conf" | grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust'; then
  sed -i '1i host replication all 127.0.0.1/32 trust' "$MAIN_CONF/pg_hba.conf"
  psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -qAtc 'select pg_reload_conf()' >/dev/null
fi

if ! pg_lsclusters -h | awk '{print $2}' | grep -qx "$NAME"; then
  pg_createcluster "$VERSION" "$NAME" -p "$REPLICA_PORT" >/dev/null
  # Queries on the replica are not cancelled by the primary's clean-up of rows they read.
  echo "hot_standby_feedback = on" >>"/etc/postgresql/$VERSION/$NAME/postgresql.conf"
fi
# Clients reach the replica as they reach the primary.
if ! cmp -s "$MAIN_CONF/pg_hba.conf" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"; then
  cp "$MAIN_CONF/pg_hba.conf" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" reload 2>/dev/null || true
fi
if [ ! -f "$DATA/standby.signal" ]; then
  # The new cluster's own files give way to a copy of the primary.
  pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" stop 2>/dev/null || true
  mkdir -p "$DATA"
  chown postgres:postgres "$DATA" 2>/dev/null || true
  chmod 700 "$DATA"
  find "$DATA" -mindepth 1 -delete
  as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$DATA" \
    --write-recovery-conf --wal-method=stream --checkpoint=fast
fi
pg_ctlcluster --skip-systemctl-redirect "$VERSION" "$NAME" start >/dev/null 2>&1 || true
for _ in $(seq 1 30); do
  ready && exit 0
  sleep 1
done
echo "the replica on port $REPLICA_PORT did not start; see /var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2
exit 1
