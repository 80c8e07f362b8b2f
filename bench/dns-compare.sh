#!/usr/bin/env bash
# Side-by-side authoritative DNS throughput: Holdfast, Knot and NSD serve the same generated zone on
# 127.0.0.1 in turn and dnsperf drives each for the same duration with the same client settings.
#
# usage: bench/dns-compare.sh [--endpoints "1000 100000"] [--duration SECONDS] [--clients N]
#                             [--servers "holdfast knot nsd"] [--rate QPS] [--out FILE]
#
# For each zone size and each transport (UDP, TCP) and each placement (pinned: server on CPU 0 and dnsperf
# on CPU 1; unpinned) it prints queries/s, lost queries, average and maximum latency and the server's
# peak RSS, then Holdfast's ratio to the best of Knot and NSD. Pinned, it also offers a fixed rate over UDP
# (--rate, default 20000 queries/s) and reports the server's CPU time per answered query (user + system, from
# /proc/PID/stat, children included) and its steady RSS (VmRSS after the run) beside the peak. Every address is on 127.0.0.0/8; NOTIFY is
# off in every server. Installs knot, nsd and dnsperf with apt-get when missing (without starting their
# services). Servers are started by this script and stopped by PID.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
endpoint_counts="1000 100000"
duration=10
clients=4
out=""
servers="holdfast knot nsd"
rate=20000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --endpoints) endpoint_counts="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --servers) servers="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    *) echo "dns-compare: unknown option '$1'" >&2; exit 2 ;;
  esac
done

need=()
command -v knotd >/dev/null || need+=(knot)
command -v nsd >/dev/null || need+=(nsd)
command -v dnsperf >/dev/null || need+=(dnsperf)
if [[ ${#need[@]} -gt 0 ]]; then
  # A package may start its service on install: forbid that (policy-rc.d exit 101) while installing.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

cores=$(nproc)
work="$(mktemp -d /tmp/holdfast-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "building Holdfast (Release)..." >&2
[[ " $servers " != *" holdfast "* ]] || dotnet build "$root/src/Holdfast.Cli/Holdfast.Cli.csproj" -c Release -o "$work/holdfast" -v quiet -nologo >/dev/null

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# zone ORIGIN with N endpoints, each 3-8 A records on 127.0.0.0/8, and a query file of random endpoint names.
generate_zone() {
  local n="$1" zone="$2" queries="$3"
  python3 - "$n" "$zone" "$queries" <<'PY'
import random, sys
n, zone, queries = int(sys.argv[1]), sys.argv[2], sys.argv[3]
rng = random.Random(20261130)
with open(zone, "w") as z:
    z.write("$ORIGIN bench.example.\n$TTL 3600\n")
    z.write("@ IN SOA ns1 hostmaster 1 3600 600 604800 60\n@ IN NS ns1\nns1 IN A 127.0.0.53\n")
    for i in range(n):
        for a in range(3 + i % 6):
            z.write(f"e{i} 60 IN A 127.{(i >> 8) & 255}.{i & 255}.{a + 1}\n")
with open(queries, "w") as q:
    for _ in range(100000):
        if rng.random() < 0.9:
            q.write(f"e{rng.randrange(n)}.bench.example. A\n")
        else:
            q.write(f"missing{rng.randrange(n)}.bench.example. A\n")
PY
}

start_holdfast() {
  local zone="$1" port="$2" pin="$3"
  $pin dotnet "$work/holdfast/holdfast.dll" serve --zone "bench.example.=$zone" --listen "127.0.0.1:$port" >"$work/holdfast.log" 2>&1 &
  server_pid=$!
}

start_knot() {
  local zone="$1" port="$2" pin="$3"
  mkdir -p "$work/knot"
  cat >"$work/knot/knot.conf" <<EOF
server:
    rundir: "$work/knot"
    listen: 127.0.0.1@$port
    udp-workers: $cores
    tcp-workers: $cores
    background-workers: 1
log:
  - target: stderr
    any: warning
database:
    storage: "$work/knot"
template:
  - id: default
    storage: "$work/knot"
    zonefile-sync: -1
    journal-content: none
    semantic-checks: off
zone:
  - domain: bench.example.
    file: "$zone"
EOF
  $pin knotd -c "$work/knot/knot.conf" >"$work/knot.log" 2>&1 &
  server_pid=$!
}

start_nsd() {
  local zone="$1" port="$2" pin="$3"
  mkdir -p "$work/nsd"
  cat >"$work/nsd/nsd.conf" <<EOF
server:
    ip-address: 127.0.0.1@$port
    server-count: $cores
    username: ""
    chroot: ""
    zonesdir: "$work/nsd"
    database: ""
    zonelistfile: "$work/nsd/zone.list"
    xfrdfile: "$work/nsd/xfrd.state"
    xfrdir: "$work/nsd"
    pidfile: "$work/nsd/nsd.pid"
    logfile: "$work/nsd/nsd.log"
    tcp-count: 1000
    reuseport: yes
    # NSD rate-limits responses per client prefix by default (RRL, 200/s): off, as for Knot.
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
remote-control:
    control-enable: no
zone:
    name: bench.example.
    zonefile: "$zone"
EOF
  $pin nsd -d -c "$work/nsd/nsd.conf" >"$work/nsd.log" 2>&1 &
  server_pid=$!
}

# Waits until the server answers the SOA over UDP (large zones take a while to load).
wait_ready() {
  local port="$1" name="$2"
  for _ in $(seq 1 600); do
    if dig +tries=1 +time=1 -p "$port" @127.0.0.1 bench.example. SOA 2>/dev/null | grep -q "status: NOERROR"; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then echo "dns-compare: $name exited during start-up; see its log in $work" >&2; cat "$work"/*.log >&2 || true; exit 1; fi
    sleep 0.5
  done
  echo "dns-compare: $name did not answer within 300 s" >&2; exit 1
}

# The server process and all its descendants (NSD's serving processes are not its direct children).
server_tree() {
  local pids=("$server_pid") i=0
  while [[ $i -lt ${#pids[@]} ]]; do
    pids+=($(pgrep -P "${pids[$i]}" || true))
    i=$((i + 1))
  done
  echo "${pids[@]}"
}

# A /proc/PID/status field (KiB) summed over the server's process tree: VmHWM is the peak resident set, VmRSS the
# current one. NSD forks its servers, so the pages they share are counted in each.
tree_status_kib() {
  local field="$1" total=0 pid value
  for pid in $(server_tree); do
    value=$(awk -v f="$field:" '$1 == f {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    total=$((total + ${value:-0}))
  done
  echo "$total"
}

peak_rss_kib() { tree_status_kib VmHWM; }

steady_rss_kib() { tree_status_kib VmRSS; }

# CPU time (clock ticks, user + system) of the server's process tree.
cpu_ticks() {
  local total=0 pid t
  for pid in $(server_tree); do
    # After the command name (which may hold spaces): utime and stime, fields 14 and 15 of the line.
    t=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{print $12 + $13}' || echo 0)
    total=$((total + ${t:-0}))
  done
  echo "$total"
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

results="$work/results.tsv"
cpu_results="$work/cpu.tsv"
: >"$results"
: >"$cpu_results"
printf '%-9s %-8s %-4s %-9s %10s %8s %10s %10s %9s\n' endpoints server mode placement "queries/s" lost "avg ms" "max ms" "rss MiB"
for n in $endpoint_counts; do
  zone="$work/bench.example.$n.zone"
  queries="$work/queries.$n.txt"
  generate_zone "$n" "$zone" "$queries"
  for placement in pinned unpinned; do
    if [[ "$placement" == pinned && "$cores" -ge 2 ]]; then server_pin="taskset -c 0"; client_pin="taskset -c 1"; else server_pin=""; client_pin=""; fi
    for server in $servers; do
      port=$(free_port)
      "start_$server" "$zone" "$port" "$server_pin"
      wait_ready "$port" "$server"
      for mode in udp tcp; do
        perf="$work/dnsperf.$server.$mode.txt"
        $client_pin dnsperf -s 127.0.0.1 -p "$port" -m "$mode" -d "$queries" -l "$duration" -c "$clients" -q 200 -t 2 >"$perf" 2>&1 || true
        # Over TCP dnsperf prints a second "Average Latency" for connections: the first is the queries'.
        qps=$(awk '/Queries per second/ {printf "%.0f", $4; exit}' "$perf")
        lost=$(awk '/Queries lost/ {print $3; exit}' "$perf")
        avg=$(awk '/Average Latency/ {printf "%.3f", $4 * 1000; exit}' "$perf")
        max=$(awk '/Average Latency/ {gsub(/[(),]/, ""); printf "%.3f", $8 * 1000; exit}' "$perf")
        rss=$(( $(peak_rss_kib) / 1024 ))
        printf '%-9s %-8s %-4s %-9s %10s %8s %10s %10s %9s\n' "$n" "$server" "$mode" "$placement" "${qps:-?}" "${lost:-?}" "${avg:-?}" "${max:-?}" "$rss"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$server" "$mode" "$placement" "${qps:-0}" "${lost:-0}" "${avg:-0}" "${max:-0}" "$rss" >>"$results"
      done
      if [[ "$placement" == pinned ]]; then
        # The same offered rate for every server: CPU per answered query, where queries/s alone hides idle cores.
        perf="$work/dnsperf.$server.rate.txt"
        before=$(cpu_ticks)
        $client_pin dnsperf -s 127.0.0.1 -p "$port" -m udp -d "$queries" -l "$duration" -c "$clients" -q 200 -t 2 -Q "$rate" >"$perf" 2>&1 || true
        after=$(cpu_ticks)
        completed=$(awk '/Queries completed/ {print $3; exit}' "$perf")
        steady=$(( $(steady_rss_kib) / 1024 ))
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$server" "$rate" "${completed:-0}" "$((after - before))" "$(getconf CLK_TCK)" "$steady" >>"$cpu_results"
      fi
      stop_server
    done
  done
done

echo
echo "Holdfast's ratio to the best peer (queries/s; memory ratio to NSD):"
python3 - "$results" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
by = collections.defaultdict(dict)
rss = collections.defaultdict(dict)
for n, server, mode, placement, qps, lost, avg, mx, mem in rows:
    by[(n, mode, placement)][server] = float(qps or 0)
    rss[n][server] = max(rss[n].get(server, 0), int(mem))
for (n, mode, placement), v in sorted(by.items(), key=lambda kv: (int(kv[0][0]), kv[0][2], kv[0][1])):
    peers = [(s, q) for s, q in v.items() if s != "holdfast"]
    if not peers or "holdfast" not in v:
        continue
    best_name, best = max(peers, key=lambda x: x[1])
    ratio = v.get("holdfast", 0) / best if best else 0
    print(f"  {n:>7} endpoints {mode} {placement:<8} holdfast {v.get('holdfast', 0):>10.0f} q/s vs {best_name} {best:>10.0f}: ratio {ratio:.2f}")
for n, m in sorted(rss.items(), key=lambda kv: int(kv[0])):
    if m.get("nsd") and "holdfast" in m:
        print(f"  {n:>7} endpoints peak RSS holdfast {m.get('holdfast', 0)} MiB, knot {m.get('knot', 0)} MiB, nsd {m['nsd']} MiB: ratio to nsd {m.get('holdfast', 0) / m['nsd']:.2f}")
PY

echo
echo "CPU per answered query at $rate queries/s offered over UDP, server pinned (ratio: Holdfast to the lowest of Knot and NSD; 1.00 or less meets the goal):"
python3 - "$cpu_results" "$results" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
peak = collections.defaultdict(dict)
for n, server, mode, placement, qps, lost, avg, mx, mem in (l.rstrip("\n").split("\t") for l in open(sys.argv[2]) if l.strip()):
    if placement == "pinned":
        peak[n][server] = max(peak[n].get(server, 0), int(mem))
by = collections.defaultdict(dict)
print(f"  {'endpoints':>9} {'server':<8} {'answered':>9} {'cpu s':>7} {'us/query':>9} {'steady MiB':>10} {'peak MiB':>9}")
for n, server, rate, completed, ticks, hz, steady in rows:
    completed, seconds = int(completed or 0), int(ticks) / int(hz)
    per = seconds * 1e6 / completed if completed else float("nan")
    by[n][server] = per
    print(f"  {n:>9} {server:<8} {completed:>9} {seconds:>7.2f} {per:>9.2f} {steady:>10} {peak[n].get(server, 0):>9}")
for n, v in sorted(by.items(), key=lambda kv: int(kv[0])):
    peers = [(s, c) for s, c in v.items() if s != "holdfast"]
    if peers and "holdfast" in v:
        best_name, best = min(peers, key=lambda x: x[1])
        print(f"  {n:>9} endpoints: holdfast {v['holdfast']:.2f} us/query vs {best_name} {best:.2f}: ratio {v['holdfast'] / best:.2f}")
PY
if [[ -n "$out" ]]; then cp "$results" "$out"; cp "$cpu_results" "${out%.*}.cpu.tsv"; fi
