namespace Holdfast.Health.Tests.Aggregation;

/// <summary>
/// The aggregation rules as tables (see <see cref="HealthScript"/> for the notation). Unless a row says
/// otherwise: rise 1, fall 1, quorum = majority, down grace 10 s, new-target grace 0, fresh for 15 s.
/// </summary>
public sealed class AggregationRuleTests
{
    [Theory]
    [InlineData("one of three down is not down", "a,b,c", "0: a=D b=U c=U => Up; 5: a=D b=U c=U => Up; 20: a=D b=U c=U => Up")]
    [InlineData("two of three down past the grace is down", "a,b,c", "0: a=U b=U c=U => Up; 1: a=D b=D => Up; 10: a=D b=D c=U => Up; 11: a=D b=D c=U => Down")]
    [InlineData("a split vote of two is unknown", "a,b", "0: a=U b=D => Unknown; 20: a=U b=D => Unknown")]
    [InlineData("majority of four is three: two down, two up is unknown", "a,b,c,d", "0: a=D b=D c=U d=U => Unknown; 15: a=D b=D c=U d=U => Unknown")]
    [InlineData("majority of four is three: three down is down", "a,b,c,d", "0: a=D b=D c=D d=U => Unknown; 10: a=D b=D c=D d=U => Down")]
    [InlineData("the grace runs from when the quorum-th source said down", "a,b,c", "0: a=U b=U c=U => Up; 1: a=D => Up; 6: a=D b=D c=U => Up; 11: a=D b=D c=U => Up; 16: a=D b=D c=U => Down")]
    [InlineData("a lost quorum ends down", "a,b,c", "0: a=D b=D c=D; 10: a=D b=D c=D => Down; 15: a=U b=U c=D => Up")]
    public void Quorum(string rule, string sources, string script) => Run(rule, sources, script);

    [Theory]
    [InlineData("explicit quorum 1 of 2: one down past the grace is down", "a,b", 1, "0: a=U b=U => Up; 5: a=D b=U => Up; 15: a=D b=U => Down")]
    [InlineData("explicit quorum 3 of 3: two down is never down", "a,b,c", 3, "0: a=D b=D c=U => Unknown; 30: a=D b=D c=U => Unknown")]
    public void ExplicitQuorum(string rule, string sources, int quorum, string script) => Run(rule, sources, script, quorum: quorum);

    [Theory]
    [InlineData("sources that fall silent are unknown, not down", "a,b,c", "0: a=D b=D c=D; 10: a=D b=D c=D => Down; 25: => Down; 26: => Unknown")]
    [InlineData("a stale down does not count towards a later quorum", "a,b,c", "0: a=D c=U => Unknown; 16: b=D c=U => Unknown; 26: b=D c=U => Unknown")]
    [InlineData("silent from the start is unknown", "a,b,c", "0: => Unknown; 100: => Unknown")]
    [InlineData("an up quorum that falls silent is unknown", "a,b,c", "0: a=U b=U c=U => Up; 15: => Up; 16: => Unknown")]
    [InlineData("one silent source of three does not block two fresh downs", "a,b,c", "0: a=D b=D; 10: a=D b=D => Down")]
    public void Freshness(string rule, string sources, string script) => Run(rule, sources, script);

    [Theory]
    [InlineData("down for less than the grace is not down", "a,b,c", 10, "0: a=U b=U c=U => Up; 1: a=D b=D c=D => Up; 10: a=D b=D c=D => Up; 11: => Down")]
    [InlineData("a recovery inside the grace restarts it", "a,b,c", 10, "0: a=U b=U c=U => Up; 1: a=D b=D c=D => Up; 6: a=U b=U c=U => Up; 11: a=D b=D c=D => Up; 20: => Up; 21: => Down")]
    [InlineData("grace zero is down at once", "a,b", 0, "0: a=D b=D => Down")]
    [InlineData("a longer grace holds longer", "a", 30, "0: a=U => Up; 5: a=D => Up; 20: a=D => Up; 34: a=D => Up; 35: a=D => Down")]
    public void DownGrace(string rule, string sources, int downGrace, string script) => Run(rule, sources, script, downGrace: downGrace);

    [Theory]
    [InlineData("unexpected from every source is not down", "a,b,c", "0: a=X b=X c=X => Unknown; 15: a=X b=X c=X => Unknown; 30: a=X b=X c=X => Unknown")]
    [InlineData("unexpected does not vouch for an up target", "a,b,c", "0: a=U b=U c=U => Up; 5: a=X b=X c=X => Unknown")]
    [InlineData("two down and one unexpected is down", "a,b,c", "0: a=D b=D c=X; 10: a=D b=D c=X => Down")]
    [InlineData("one down and two unexpected is unknown", "a,b,c", "0: a=D b=X c=X; 20: a=D b=X c=X => Unknown")]
    public void Unexpected(string rule, string sources, string script) => Run(rule, sources, script);

    [Theory]
    [InlineData("fall 3: the third down flips the source, then the grace", 2, 3, "0: a=U => Unknown; 5: a=U => Up; 10: a=D => Up; 15: a=D => Up; 20: a=D => Up; 29: a=D => Up; 30: a=D => Down")]
    [InlineData("fall 3: an interrupted streak never flips", 1, 3, "0: a=U => Up; 5: a=D; 10: a=D; 15: a=U; 20: a=D; 25: a=D; 30: a=U; 35: a=D; 40: a=D => Up")]
    [InlineData("rise 2: one up after down is not enough", 2, 1, "0: a=D; 10: a=D => Down; 15: a=U => Down; 20: a=U => Up")]
    [InlineData("fall 2: unexpected results interrupt a down streak", 1, 2, "0: a=U => Up; 5: a=D; 10: a=X; 15: a=D; 20: a=X; 25: a=D => Up")]
    [InlineData("fall 2: unexpected needs its own streak to flip", 1, 2, "0: a=U => Up; 5: a=X => Up; 10: a=X => Unknown")]
    public void RiseFall(string rule, int rise, int fall, string script) => Run(rule, "a", script, rise: rise, fall: fall);

    [Theory]
    [InlineData("a new target that is down from the start waits out its grace", "0: a=D b=D c=D => Unknown; 10: a=D b=D c=D => Unknown; 20: a=D b=D c=D => Unknown; 29: a=D b=D c=D => Unknown; 30: a=D b=D c=D => Down")]
    [InlineData("a new target that comes up ends its grace", "0: a=U b=U c=U => Up; 5: a=D b=D c=D => Up; 15: a=D b=D c=D => Down")]
    [InlineData("a new target with no observations is unknown", "0: => Unknown; 31: => Unknown")]
    public void NewTargetGrace(string rule, string script) => Run(rule, "a,b,c", script, newTargetGrace: 30);

    private static void Run(string rule, string sources, string script, int rise = 1, int fall = 1, int? quorum = null, int newTargetGrace = 0, int downGrace = 10)
    {
        using var health = new HealthScript(sources.Split(','), rise, fall, quorum, newTargetGrace, downGrace);
        try
        {
            health.Run(script);
        }
        catch (ShouldAssertException ex)
        {
            throw new ShouldAssertException($"rule '{rule}': {ex.Message}", ex);
        }
    }
}
