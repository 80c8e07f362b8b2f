using System.Globalization;

namespace Holdfast.Testing;

/// <summary>
/// A real Knot DNS (<c>knotd</c> from Debian's <c>knot</c>) serving one zone from a master file on 127.0.0.1 with a
/// free port: the reference the differential test compares Holdfast with. No transfers, no NOTIFY, no DNSSEC;
/// extra zone settings may add Knot modules (cookies).
/// </summary>
public sealed class KnotPrimary : KnotDaemon
{
    private KnotPrimary(string folder, string config, int port)
        : base(folder, config, port)
    {
    }

    /// <param name="zoneText">The master file, as Holdfast reads it too.</param>
    /// <param name="zoneSettings">Extra lines under the zone (indented by four spaces), e.g. <c>module: mod-cookies</c>.</param>
    public static async Task<KnotPrimary> StartAsync(string zone, string zoneText, string zoneSettings = "")
    {
        var folder = NewFolder();
        var zoneFile = Path.Combine(folder, "zone.db");
        await File.WriteAllTextAsync(zoneFile, zoneText);
        var port = ExternalTool.FreePort();
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            {ServerSections(folder, port)}
            zone:
              - domain: {zone}
                file: "{zoneFile}"
                zonefile-sync: -1
                journal-content: none
            {zoneSettings}
            """);
        var knot = new KnotPrimary(folder, config, port);
        var loaded = await ExternalTool.WaitUntilAsync(() => Task.FromResult(knot.Log.Contains($"[{zone}] loaded", StringComparison.Ordinal)), TimeSpan.FromSeconds(20));
        if (!loaded)
        {
            var log = knot.Log;
            await knot.DisposeAsync();
            throw new InvalidOperationException($"knotd did not load {zone}:\n{log}");
        }

        return knot;
    }
}
