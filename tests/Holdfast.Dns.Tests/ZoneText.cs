using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Tests;

/// <summary>Zones for tests written as master files, the way operators write them.</summary>
public static class ZoneText
{
    public static ZoneSnapshot Parse(string apex, string text)
    {
        MasterFileReader.TryRead(text, "test.zone", apex, out var zone, out var errors).ShouldBeTrue(string.Join('\n', errors));
        return zone!;
    }
}
