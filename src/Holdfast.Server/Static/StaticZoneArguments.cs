using System.Globalization;
using System.Net;
using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;

namespace Holdfast.Server.Static;

/// <summary>
/// The command line of <c>holdfast serve</c>:
/// <c>--zone ORIGIN=FILE [--zone …] [--listen ADDR:PORT] [--allow-transfer ADDR/PREFIX …] [--notify ADDR:PORT …] [--tsig NAME:BASE64] [--journal DIR]</c>.
/// Every value is checked here, so that a bad command line is refused with a message naming the bad value
/// before anything starts.
/// </summary>
public static class StaticZoneArguments
{
    public const string Usage = """
        usage: holdfast serve --zone ORIGIN=FILE [--zone ORIGIN=FILE ...] [--listen ADDR:PORT]
                              [--allow-transfer ADDR/PREFIX ...] [--notify ADDR:PORT ...]
                              [--tsig NAME:BASE64SECRET] [--journal DIR]

          --zone ORIGIN=FILE          serve the master file FILE (RFC 1035 §5) as the zone ORIGIN
          --listen ADDR:PORT          UDP and TCP address (default 127.0.0.1:5353; port 0 picks a free port)
          --allow-transfer ADDR/PREFIX  clients allowed to transfer the zones (AXFR, IXFR); default none
          --notify ADDR:PORT          secondaries told of every serial change (NOTIFY, RFC 1996)
          --tsig NAME:BASE64SECRET    an HMAC-SHA256 key (RFC 8945): transfers must be signed with it,
                                      and NOTIFY messages are signed with it
          --journal DIR               keep each zone's IXFR journal in DIR (read back at start, so IXFR
                                      survives a restart); default: in memory only

        SIGHUP reloads every file; a file that fails to parse keeps its zone's previous data serving.
        SIGINT or SIGTERM stops. Exit codes: 0 stopped, 1 a zone file or the listen address failed, 2 usage.

        """ + ServeProtectionArguments.Usage;

    public static bool TryParse(IReadOnlyList<string> args, out StaticZoneOptions? options, out string error)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = null;
        error = "";
        var zones = new List<StaticZoneSource>();
        var apexes = new HashSet<string>(StringComparer.Ordinal);
        var listen = new IPEndPoint(IPAddress.Loopback, 5353);
        var allow = new List<IPNetwork>();
        var notify = new List<IPEndPoint>();
        TsigKey? tsig = null;
        var protection = new ServeProtectionArguments();
        string? journal = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (ServeProtectionArguments.IsFlag(args[i]))
            {
                if (!protection.TryTake(args, ref i, out error))
                {
                    return false;
                }

                continue;
            }

            var flag = args[i];
            if (flag is not ("--zone" or "--listen" or "--allow-transfer" or "--notify" or "--tsig" or "--journal"))
            {
                error = $"unknown option '{flag}'";
                return false;
            }

            if (i + 1 >= args.Count)
            {
                error = $"{flag} needs a value";
                return false;
            }

            var value = args[++i];
            switch (flag)
            {
                case "--zone":
                    var equals = value.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0 || equals == value.Length - 1)
                    {
                        error = $"--zone '{value}': expected ORIGIN=FILE, e.g. --zone svc.example.=svc.example.zone";
                        return false;
                    }

                    if (!WireName.TryFromText(value[..equals], out var apex, out var nameError))
                    {
                        error = $"--zone '{value}': origin '{value[..equals]}' is not a domain name: {nameError}";
                        return false;
                    }

                    var apexText = WireName.ToText(apex);
                    if (!apexes.Add(apexText))
                    {
                        error = $"--zone: {apexText} is given twice";
                        return false;
                    }

                    zones.Add(new StaticZoneSource(apexText, value[(equals + 1)..]));
                    break;
                case "--listen":
                    if (!TryParseEndPoint(value, out listen!))
                    {
                        error = $"--listen '{value}': expected ADDRESS:PORT, e.g. 127.0.0.1:5353 or [::1]:5353";
                        return false;
                    }

                    break;
                case "--allow-transfer":
                    if (!IPNetwork.TryParse(value, out var network))
                    {
                        error = $"--allow-transfer '{value}': expected ADDRESS/PREFIX, e.g. 127.0.0.0/8 or ::1/128";
                        return false;
                    }

                    allow.Add(network);
                    break;
                case "--tsig":
                    if (tsig is not null)
                    {
                        error = "--tsig is given twice: one key signs the transfers and NOTIFY messages";
                        return false;
                    }

                    try
                    {
                        tsig = TsigKey.Parse(value);
                    }
                    catch (Exception ex) when (ex is FormatException or ArgumentException)
                    {
                        error = $"--tsig: {ex.Message} (expected NAME:BASE64SECRET, e.g. xfr-key.:{Convert.ToBase64String(new byte[32])})";
                        return false;
                    }

                    break;
                case "--journal":
                    if (journal is not null || string.IsNullOrWhiteSpace(value))
                    {
                        error = journal is null ? "--journal needs a directory" : "--journal is given twice";
                        return false;
                    }

                    journal = value;
                    break;
                default:
                    if (!TryParseEndPoint(value, out var target) || target.Port == 0)
                    {
                        error = $"--notify '{value}': expected ADDRESS:PORT with a port above 0, e.g. 127.0.0.1:5300";
                        return false;
                    }

                    notify.Add(target);
                    break;
            }
        }

        if (zones.Count == 0)
        {
            error = "at least one --zone ORIGIN=FILE is needed";
            return false;
        }

        options = new StaticZoneOptions { Zones = zones, Listen = listen, AllowTransfer = allow, Notify = notify, TsigKey = tsig, JournalDirectory = journal };
        return protection.TryApply(options, out options, out error);
    }

    /// <summary>ADDRESS:PORT with the port required (IPEndPoint.TryParse alone takes a bare address as port 0).</summary>
    private static bool TryParseEndPoint(string text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        var colon = text.LastIndexOf(':');
        if (colon < 0 || colon == text.Length - 1 || text[(colon + 1)..].Contains(']', StringComparison.Ordinal)
            || !ushort.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        if (!IPEndPoint.TryParse(text, out var parsed))
        {
            return false;
        }

        // "::1:53" parses as the address ::1:53 with no port: an IPv6 address with a port is written [::1]:53.
        if (parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !text.StartsWith('['))
        {
            return false;
        }

        endPoint = parsed;
        return true;
    }
}
