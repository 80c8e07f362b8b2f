using System.Diagnostics.Metrics;

namespace Holdfast.Server.Metrics;

/// <summary>
/// The host's instruments on the <c>Holdfast</c> meter (names, units and tags in docs/metrics.md). Tags are
/// bounded: zone, endpoint, enactor, guardrail, verdict, result, source, state — never a client address or an
/// arbitrary query name. One instance per host; <see cref="MetricsExport"/> exports exactly this meter instance.
/// </summary>
public sealed class HoldfastMetrics : IDisposable
{
    public const string MeterName = "Holdfast";

    public HoldfastMetrics()
    {
        Meter = new Meter(MeterName);
        PlansWritten = Meter.CreateCounter<long>("holdfast.plans.written", "{plan}", "Plans written to the store, by origin (planner, rollback).");
        Applies = Meter.CreateCounter<long>("holdfast.applies", "{apply}", "Conditional applies by enactor and result (applied, stale, frozen, rejected).");
        GuardrailDecisions = Meter.CreateCounter<long>("holdfast.guardrail.decisions", "{decision}", "Guardrail decisions that changed, held, refused or overrode something, by guardrail and verdict.");
        LastGoodKept = Meter.CreateCounter<long>("holdfast.dns.last_good_kept", "{event}", "Times the DNS server kept an endpoint's previous records because it was given none.");
        PassFailures = Meter.CreateCounter<long>("holdfast.pass.failures", "{pass}", "Planner or enactor passes that failed (retried on the next pass), by actor.");
        QueryDuration = Meter.CreateHistogram<double>("holdfast.dns.query.duration", "s", "Time to answer one DNS query, from received to written, both transports.");
    }

    public Meter Meter { get; }

    public Counter<long> PlansWritten { get; }

    public Counter<long> Applies { get; }

    public Counter<long> GuardrailDecisions { get; }

    public Counter<long> LastGoodKept { get; }

    public Counter<long> PassFailures { get; }

    public Histogram<double> QueryDuration { get; }

    public void Dispose() => Meter.Dispose();
}
