#!/usr/bin/env bash
# How long the dashboard's endpoints page takes to render at a large endpoint count: holdfast up with N generated
# endpoints (one target each, no health check) on free loopback ports, then curl fetches, each R times, the first
# page, a page deep in the list (after the middle name), a prefix search and one endpoint's page, printing the median
# and the maximum of the total time of each. Started and stopped by PID by this script.
#
# usage: bench/dashboard-endpoints.sh [--endpoints "10000 100000"] [--repeat 20]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
counts="10000"
repeat=20
while [[ $# -gt 0 ]]; do
  case "$1" in
    --endpoints) counts="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    *) echo "dashboard-endpoints: unknown option '$1'" >&2; exit 2 ;;
  esac
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

measure() { # label url
  local times
  times=$(for _ in $(seq "$repeat"); do curl -s -o /dev/null -w '%{time_total}\n' "$2"; done | sort -n)
  local median max
  median=$(echo "$times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  max=$(echo "$times" | tail -1)
  printf '  %-34s median %6.1f ms   max %6.1f ms\n' "$1" "$(echo "$median*1000" | bc -l)" "$(echo "$max*1000" | bc -l)"
}

for n in $counts; do
  dir=$(mktemp -d); chmod 700 "$dir"
  api=$(free_port); dns=$(free_port)
  python3 - "$dir" "$n" "$api" "$dns" <<'PY'
import sys
d, n, api, dns = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(d + "/holdfast.yaml", "w") as f:
    f.write(f"""dataDirectory: {d}/data
dns: {{ listen: [127.0.0.1:{dns}] }}
api: {{ listen: 127.0.0.1:{api} }}
zones:
  - {{ apex: bench.test., soa: {{ mname: ns1.bench.test., rname: hostmaster.bench.test. }}, ns: [ns1.bench.test.] }}
enactors:
  - {{ id: enactor-az1, az: az1 }}
guardrails: {{ selfPreservation: {{ minTargets: 1000000 }} }}
endpoints:
""")
    for i in range(n):
        f.write(f"  - {{ name: e{i:06d}, zone: bench.test., targets: [{{ id: a, address: 10.{i // 65536}.{(i // 256) % 256}.{i % 256 or 1}, az: az1 }}] }}\n")
PY
  "$root/holdfast" up --config "$dir/holdfast.yaml" > "$dir/up.log" 2>&1 &
  pid=$!
  trap 'kill $pid 2>/dev/null || true' EXIT
  base="http://127.0.0.1:$api"
  ready=0
  for _ in $(seq 1200); do
    curl -sf -o /dev/null "$base/readyz" && { ready=1; break; }
    kill -0 $pid 2>/dev/null || { echo "holdfast up exited:"; tail -20 "$dir/up.log"; exit 1; }
    sleep 0.5
  done
  [ "$ready" = 1 ] || { echo "holdfast up not ready after 10 minutes:"; tail -20 "$dir/up.log"; exit 1; }
  middle=$(printf 'e%06d.bench.test.' $((n / 2)))
  echo "endpoints: $n ($(date -u +%Y-%m-%d), $(nproc) cores, repeat $repeat)"
  measure "first page (50 rows)" "$base/ui/endpoints"
  measure "page after the middle name" "$base/ui/endpoints?after=$middle"
  measure "prefix search (e0001: 100 names)" "$base/ui/endpoints?q=e0001"
  measure "one endpoint's page" "$base/ui/endpoints/$middle"
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
  rm -rf "$dir"
done
