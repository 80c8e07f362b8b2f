#!/usr/bin/env bash
# Runs the Holdfast-versus-Knot differential test (tests/Holdfast.Dns.Tests/Differential) with more queries than
# ./test does, and prints the summary: queries agreed, differed for a documented reason (docs/serve.md), unexplained.
# Usage: bench/dns-differential.sh [COUNT] [SEED]   (defaults 5000 and 14; the same seed replays the same packets)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5000}"
seed="${2:-14}"
report="$(mktemp)"
dotnet build tests/Holdfast.Dns.Tests -c Release -nologo -v q -clp:ErrorsOnly
status=0
HOLDFAST_DIFF_COUNT="$count" HOLDFAST_DIFF_SEED="$seed" HOLDFAST_DIFF_REPORT="$report" \
  dotnet test tests/Holdfast.Dns.Tests -c Release --no-build -nologo -v q \
  --filter "FullyQualifiedName~KnotDifferentialTests" >/dev/null || status=$?
cat "$report"
rm -f "$report"
exit "$status"
