using Holdfast.Dns.Names;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests.Zones;

/// <summary>The persistent name map against a plain dictionary: same content after any edits, old versions unchanged.</summary>
public sealed class NameDictionaryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void SetAndRemove_RandomEdits_MatchADictionaryAndLeaveOldVersionsAlone(int seed)
    {
        var random = new Random(seed);
        var map = new NameDictionary<int>();
        var reference = new Dictionary<byte[], int>(WireNameComparer.Instance);
        var versions = new List<(NameDictionary<int> Map, Dictionary<byte[], int> Content)>();
        for (var step = 0; step < 30; step++)
        {
            var builder = map.ToBuilder();
            for (var edit = 0; edit < 500; edit++)
            {
                var key = WireName.FromText($"e{random.Next(3_000)}.svc.example.");
                if (random.Next(3) == 0)
                {
                    builder.Remove(key).ShouldBe(reference.Remove(key));
                }
                else
                {
                    var value = random.Next();
                    builder.Set(key, value).ShouldBe(!reference.ContainsKey(key));
                    reference[key] = value;
                }
            }

            map = builder.ToImmutable();
            versions.Add((map, new Dictionary<byte[], int>(reference, WireNameComparer.Instance)));
        }

        foreach (var (version, content) in versions)
        {
            version.Count.ShouldBe(content.Count);
            var enumerated = version.ToDictionary(p => p.Key, p => p.Value, WireNameComparer.Instance);
            enumerated.Count.ShouldBe(content.Count);
            enumerated.All(p => content.TryGetValue(p.Key, out var v) && v == p.Value).ShouldBeTrue();
            foreach (var (key, value) in content)
            {
                version.TryGetValue(key.AsSpan(), out var found).ShouldBeTrue();
                found.ShouldBe(value);
            }
        }
    }

    [Fact]
    public void SetItem_OnAPublishedMap_ReturnsANewMapAndKeepsTheOld()
    {
        var one = new NameDictionary<string>().SetItem(WireName.FromText("a.example."), "a");
        var two = one.SetItem(WireName.FromText("b.example."), "b").Remove(WireName.FromText("a.example."));

        one.Keys.Select(k => WireName.ToText(k)).ShouldBe(["a.example."]);
        two.Keys.Select(k => WireName.ToText(k)).ShouldBe(["b.example."]);
        two.ContainsKey(WireName.FromText("a.example.")).ShouldBeFalse();
    }

    [Fact]
    public void Remove_EveryKey_LeavesAnEmptyMap()
    {
        var builder = new NameDictionary<int>().ToBuilder();
        var keys = Enumerable.Range(0, 5_000).Select(i => WireName.FromText($"n{i}.example.")).ToList();
        keys.ForEach(k => builder.Set(k, 1));
        keys.ForEach(k => builder.Remove(k).ShouldBeTrue());

        var map = builder.ToImmutable();
        map.Count.ShouldBe(0);
        map.ShouldBeEmpty();
    }
}
