#!/usr/bin/env bash
# Push to BIND and Knot side by side with nsupdate (issue 13): UPDATEs per second by nsupdate and by Holdfast's fenced
# push on the same server in the same run, a push worker's full pass, and the time from an apply to the answer on the
# external server. Starts each server itself on a free 127.0.0.1 port with TSIG, and kills it by PID at the end.
#   bench/push-compare.sh                                  # 2,000 endpoints, BIND and Knot, 30 latency samples
#   bench/push-compare.sh --endpoints 5000 --servers knot --samples 50 --out /tmp/push.md
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
for tool in named knotd nsupdate dig; do
  command -v "$tool" >/dev/null || { echo "push-compare: $tool is missing (apt-get install bind9 knot bind9-dnsutils)" >&2; exit 2; }
done
echo "push-compare: building" >&2
dotnet build bench/Holdfast.PushBench/Holdfast.PushBench.csproj -c Release -nologo -v q -clp:ErrorsOnly >&2
exec dotnet bench/Holdfast.PushBench/bin/Release/net10.0/holdfast-pushbench.dll "$@"
