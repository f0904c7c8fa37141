#!/usr/bin/env bash
# bench_server.sh AWS_VAULT_BINARY: the ECS credential server (issue 7) under wrk against nginx
# serving the same JSON, in the same run. Prints rows for tools/bench.sh's table: requests/s and
# p99 latency (medians over rounds; baseline = nginx) and the servers' peak RSS (VmHWM).
#
# Setup: moto (tests/support/moto_server.py, with the Python that has moto) as STS, a file store
# in a temp HOME holding moto's IAM user, profile `role` (AssumeRole). `aws-vault exec
# --ecs-server role -- bash child.sh` runs the measurement inside the child, so wrk uses the
# real AWS_CONTAINER_CREDENTIALS_FULL_URI and token: 64 keep-alive connections, 2 threads,
# BENCH_SERVER_SECONDS (10) per run, BENCH_SERVER_ROUNDS (3) rounds alternating ours and nginx.
# nginx runs in the foreground as one process (master_process off: one event loop, like ours)
# on a loopback port with access_log off. Benchmarks measure; they never pass or fail on timing.
set -euo pipefail
binary=$(realpath "${1:?aws-vault binary}")
here=$(cd "$(dirname "$0")" && pwd)
seconds=${BENCH_SERVER_SECONDS:-10}
rounds=${BENCH_SERVER_ROUNDS:-3}

skip() { printf '%-48s %12s %12s %10s\n' "ecs server: $1" "-" "-" "-"; exit 0; }
command -v wrk >/dev/null || skip "wrk not installed"
[[ -x /usr/sbin/nginx ]] || skip "nginx not installed"
python=""
for p in python3 "$(command -v python3 || true)"; do
  if [[ -n $p ]] && "$p" -c 'import moto' 2>/dev/null; then python=$p; break; fi
done
[[ -n $python ]] || skip "no python with moto"

tmp=$(mktemp -d /tmp/av-bench-server-XXXXXX)
moto_pid=""
cleanup() {
  if [[ -n $moto_pid ]]; then kill "$moto_pid" 2>/dev/null || true; wait "$moto_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# moto prints one JSON line, then serves until its stdin closes: keep a fifo open.
mkfifo "$tmp/moto.in"
"$python" "$here/../support/moto_server.py" <"$tmp/moto.in" >"$tmp/moto.out" 2>/dev/null &
moto_pid=$!
exec 3>"$tmp/moto.in"
for _ in $(seq 100); do [[ -s $tmp/moto.out ]] && break; sleep 0.1; done
read -r moto_port key_id secret < <("$python" -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); print(d["port"], d["access_key_id"], d["secret_access_key"])' "$tmp/moto.out")

mkdir -m 700 "$tmp/store"
cat >"$tmp/config" <<EOF
[profile base]
region = us-east-1

[profile role]
source_profile = base
role_arn = arn:aws:iam::123456789012:role/admin
region = us-east-1
EOF
export HOME=$tmp AWS_VAULT_BACKEND=file AWS_VAULT_FILE_DIR=$tmp/store
export AWS_VAULT_FILE_PASSPHRASE=bench AWS_CONFIG_FILE=$tmp/config
export AWS_ENDPOINT_URL_STS=http://127.0.0.1:$moto_port
AWS_ACCESS_KEY_ID=$key_id AWS_SECRET_ACCESS_KEY=$secret "$binary" add --env base >/dev/null 2>&1

cat >"$tmp/child.sh" <<'CHILD'
# Runs under `aws-vault exec --ecs-server`; $PPID is the aws-vault process.
set -euo pipefail
tmp=$1 seconds=$2 rounds=$3
server_pid=$PPID
url=$AWS_CONTAINER_CREDENTIALS_FULL_URI/
auth="Authorization: $AWS_CONTAINER_AUTHORIZATION_TOKEN"
mkdir -p "$tmp/www" "$tmp/nginx/logs"
curl -sf -H "$auth" "$url" >"$tmp/www/credentials.json"
nginx_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$tmp/nginx/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $tmp/nginx/logs/error.log;
pid $tmp/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  server {
    listen 127.0.0.1:$nginx_port;
    location / { root $tmp/www; }
  }
}
EOF
/usr/sbin/nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$nginx_port/credentials.json" >/dev/null && break; sleep 0.1; done
run_wrk() {  # url label -> "requests/s p99_us"
  wrk -t2 -c64 -d"${seconds}s" --latency -H "$auth" "$1" >"$tmp/wrk.$2" 2>&1
  python3 - "$tmp/wrk.$2" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
scale = {"us": 1, "ms": 1e3, "s": 1e6}[m.group(2)]
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(rps, float(m.group(1)) * scale, non2xx.group(1) if non2xx else 0)
PY
}
for r in $(seq "$rounds"); do
  echo "ours $(run_wrk "$url" ours)"
  echo "nginx $(run_wrk "http://127.0.0.1:$nginx_port/credentials.json" nginx)"
done
echo "rss_ours $(awk '/^VmHWM/ {print $2}' /proc/$server_pid/status)"
echo "rss_nginx $(awk '/^VmHWM/ {print $2}' /proc/$nginx_pid/status)"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true
CHILD

"$binary" exec --ecs-server role -- bash "$tmp/child.sh" "$tmp" "$seconds" "$rounds" >"$tmp/results" 2>"$tmp/exec.err" ||
  { sed 's/^/  /' "$tmp/exec.err" >&2; skip "exec --ecs-server failed"; }

python3 - "$tmp/results" <<'PY'
import statistics, sys
ours, nginx, rss = {"rps": [], "p99": []}, {"rps": [], "p99": []}, {}
errors = 0
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] in ("ours", "nginx"):
        d = ours if f[0] == "ours" else nginx
        d["rps"].append(float(f[1])); d["p99"].append(float(f[2])); errors += int(f[3])
    elif f[0].startswith("rss_"):
        rss[f[0]] = int(f[1])
def human_us(us):
    return f"{us / 1e3:.2f} ms" if us >= 1e3 else f"{us:.0f} us"
def row(name, a, b, text):
    print(f"{name:<48} {text(a):>12} {text(b):>12} {a / b if b else 0:>10.2f}")
m = statistics.median
row("ecs server: requests/s, 64 conns (vs nginx)", m(ours["rps"]), m(nginx["rps"]),
    lambda v: f"{v:,.0f}/s")
row("ecs server: p99 latency, 64 conns (vs nginx)", m(ours["p99"]), m(nginx["p99"]), human_us)
row("ecs server: peak RSS of the process (vs nginx)", rss["rss_ours"], rss["rss_nginx"],
    lambda kib: f"{kib / 1024:.1f} MiB")
if errors:
    print(f"  (warning: {errors} non-2xx responses)")
PY
