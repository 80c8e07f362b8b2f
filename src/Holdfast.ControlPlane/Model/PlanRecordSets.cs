namespace Holdfast.ControlPlane.Model;

/// <summary>
/// Comparisons of two sets of plan records (a plan's, the applied state's), independent of order. Not the DNS
/// record sets of a zone (<c>Holdfast.Dns.Zones</c>): these are the weighted targets a plan publishes.
/// </summary>
public static class PlanRecordSets
{
    /// <summary>True when both sets hold the same (target, address, weight) triples.</summary>
    public static bool SameRecords(IReadOnlyCollection<PlanRecord> left, IReadOnlyCollection<PlanRecord> right)
    {
        if (left.Count != right.Count)
        {
            return false;
        }

        var keys = new HashSet<(string, string, int)>(left.Select(Key));
        return right.All(r => keys.Contains(Key(r)));
    }

    /// <summary>Capacity of the records in <paramref name="before"/> whose targets are absent from <paramref name="after"/>.</summary>
    public static long RemovedCapacity(IEnumerable<PlanRecord> before, IEnumerable<PlanRecord> after)
    {
        var kept = new HashSet<string>(after.Select(r => r.TargetId), StringComparer.Ordinal);
        return before.Where(r => !kept.Contains(r.TargetId)).Sum(r => (long)r.Capacity);
    }

    private static (string, string, int) Key(PlanRecord r) => (r.TargetId, r.Address.ToString(), r.Weight);
}
