using System.Globalization;

namespace Holdfast.Testing;

/// <summary>
/// A real Knot DNS (<c>knotd</c> from Debian's <c>knot</c>) run as a secondary of one zone, on 127.0.0.1 with a
/// free port, with its config, rundir and storage in a temp folder. NOTIFY is accepted from 127.0.0.1 (signed with
/// the key, when there is one); Knot
/// sends no NOTIFY itself and signs nothing with DNSSEC. Disposing kills it by PID and removes the folder.
/// </summary>
public sealed class KnotSecondary : KnotDaemon
{
    private KnotSecondary(string folder, string config, int port)
        : base(folder, config, port)
    {
    }

    /// <param name="key">When given (<c>name</c>, base64 secret), Knot signs its SOA queries and transfers with it (HMAC-SHA256).</param>
    public static KnotSecondary Start(string zone, int port, int primaryPort, (string Name, string Secret)? key)
    {
        var folder = NewFolder();
        var keyBlock = key is { } k ? $"key:\n  - id: {k.Name}\n    algorithm: hmac-sha256\n    secret: {k.Secret}\n" : "";
        var remoteKey = key is { } r ? $"    key: {r.Name}\n" : "";
        var aclKey = key is { } a ? $"    key: {a.Name}\n" : "";
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            {ServerSections(folder, port)}
            {keyBlock}remote:
              - id: holdfast
                address: 127.0.0.1@{primaryPort}
            {remoteKey}acl:
              - id: notify-from-holdfast
                address: 127.0.0.1
                action: notify
            {aclKey}zone:
              - domain: {zone}
                storage: "{folder}"
                master: holdfast
                acl: notify-from-holdfast
                zonefile-sync: -1
                zonefile-load: none
            """);
        return new KnotSecondary(folder, config, port);
    }
}
