namespace Holdfast.ControlPlane.Model;

/// <summary>Comparisons of record sets, independent of order.</summary>
public static class RecordSet
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
