#!/usr/bin/env bash
# The control loop at scale (issue 9's goal figures), measured from outside a real `holdfast up` process:
# cold start, restart, health change -> answer split into its parts, idle CPU, memory, CLI and API response
# times, and a storm of 10 % of all targets down then up. Builds what it needs; everything on 127.0.0.1.
#   bench/control-loop.sh                      # 1,000, 10,000 and 100,000 endpoints
#   bench/control-loop.sh --sizes 1000 --samples 20 --idle 30
# Other options: --work DIR (default /tmp/holdfast-loopbench), --out FILE (default artifacts/control-loop.md), --seed N.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "control-loop: building the CLI and the benchmark" >&2
dotnet build src/Holdfast.Cli/Holdfast.Cli.csproj -c Release -nologo -v q -clp:ErrorsOnly -o artifacts/cli >&2
dotnet build bench/Holdfast.LoopBench/Holdfast.LoopBench.csproj -c Release -nologo -v q -clp:ErrorsOnly >&2
exec dotnet bench/Holdfast.LoopBench/bin/Release/net10.0/holdfast-loopbench.dll --cli artifacts/cli/holdfast.dll "$@"
