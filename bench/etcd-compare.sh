#!/usr/bin/env bash
# Fenced applies per second through Holdfast's etcd store against raw etcd transactions of the same shape from the same
# client library, on a 3-member etcd cluster the script starts on 127.0.0.1 (and kills by PID), in one run.
# Then three `holdfast up` nodes on that cluster: a target's health change until every node's DNS answer shows it.
#   bench/etcd-compare.sh                                   # 5,000 endpoints, batches of 64, 3 rounds; 10,000 endpoints, 20 samples
#   bench/etcd-compare.sh --endpoints 20000 --batch 256 --rounds 5 --answer-endpoints 0   # applies only
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
command -v etcd >/dev/null || { echo "etcd-compare: etcd is missing (apt-get install etcd-server)" >&2; exit 2; }
echo "etcd-compare: building the CLI and the benchmark" >&2
dotnet build src/Holdfast.Cli/Holdfast.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly -o artifacts/cli >&2
dotnet build bench/Holdfast.EtcdBench/Holdfast.EtcdBench.csproj -c Release -nologo -v q -clp:ErrorsOnly >&2
exec dotnet bench/Holdfast.EtcdBench/bin/Release/net10.0/holdfast-etcdbench.dll --cli artifacts/cli/holdfast.dll "$@"
