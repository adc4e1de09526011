# Start a throwaway PostgreSQL server on a loopback port and export KEEPWARM_TEST_DATABASE_URL.
# Source it from bash; the server stops when the sourcing shell exits.
# pg_ctl refuses to run as root, so as root the server runs as the `postgres` user.
_pg_bin=$(dirname "$(readlink -f "$(command -v pg_ctl)")")
_pg_dir=$(mktemp -d /tmp/keepwarm-pg.XXXXXX)
_pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if [ "$(id -u)" = 0 ]; then
  chown postgres "$_pg_dir"
  _pg_as=(runuser -u postgres --)
  _pg_user=postgres
else
  _pg_as=()
  _pg_user=$(id -un)
fi
"${_pg_as[@]}" "$_pg_bin/initdb" -D "$_pg_dir/data" -A trust -U "$_pg_user" -E UTF8 --no-sync >"$_pg_dir/initdb.log" 2>&1 \
  || { cat "$_pg_dir/initdb.log"; return 1; }
"${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -l "$_pg_dir/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $_pg_port -k $_pg_dir -c fsync=off -c max_connections=200" start >/dev/null \
  || { cat "$_pg_dir/server.log"; return 1; }
export KEEPWARM_TEST_DATABASE_URL="postgresql+psycopg://$_pg_user@127.0.0.1:$_pg_port/postgres"
trap '"${_pg_as[@]}" "$_pg_bin/pg_ctl" -D "$_pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$_pg_dir"' EXIT
echo "PostgreSQL for tests at $KEEPWARM_TEST_DATABASE_URL"
