#!/usr/bin/env bash
# The long chaos run: 3 etcd members and 3 `holdfast up` nodes on 127.0.0.1, kill -9 / SIGSTOP faults for the given
# minutes under health churn, writes and a prober; prints faults, queries checked, writes acknowledged and violations.
#   bench/chaos.sh                              # 10 minutes, seed 1
#   bench/chaos.sh --minutes 2 --seed 7 --out /tmp/chaos.txt
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
command -v etcd >/dev/null || { echo "chaos: etcd is missing (apt-get install etcd-server)" >&2; exit 2; }
echo "chaos: building the CLI and the run" >&2
dotnet build src/Holdfast.Cli/Holdfast.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly -o artifacts/cli >&2
dotnet build bench/Holdfast.ChaosRun/Holdfast.ChaosRun.csproj -c Release -nologo -v q -clp:ErrorsOnly >&2
args=("$@")
[[ " ${args[*]-} " == *" --minutes "* ]] || args+=(--minutes 10)
exec dotnet bench/Holdfast.ChaosRun/bin/Release/net10.0/holdfast-chaos.dll --cli artifacts/cli/holdfast.dll "${args[@]}"
