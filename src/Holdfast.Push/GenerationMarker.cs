using System.Globalization;
using System.Text;
using Holdfast.ControlPlane.Model;
using Holdfast.Dns.Records;

namespace Holdfast.Push;

/// <summary>
/// The fence on the server: a TXT record at a reserved owner beside each endpoint, holding the generation whose records
/// the endpoint's RRsets carry (one character-string of decimal digits). Every UPDATE requires the marker Holdfast last
/// saw (RFC 2136 §2.4.2, value-dependent "RRset exists") or, for a first push, that the marker name is not in use
/// (§2.4.5), and replaces it in the same atomic message (§3.4). So an UPDATE built from an older view can never land.
/// </summary>
/// <remarks>
/// <code>
/// endpoint                       marker owner
/// api.svc.example.               _holdfast-generation.api.svc.example.   TXT "42"
/// </code>
/// The label begins with an underscore (RFC 8552 style), so it cannot collide with a host name.
/// </remarks>
public static class GenerationMarker
{
    public const string Label = "_holdfast-generation";

    public static string OwnerOf(string endpoint) => Label + "." + endpoint;

    public static byte[] Rdata(Generation generation) => Holdfast.Dns.Records.Rdata.Txt(generation.Value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Reads a marker's RDATA; false for anything but one character-string of decimal digits above zero.</summary>
    public static bool TryParse(ReadOnlySpan<byte> rdata, out Generation generation)
    {
        generation = Generation.None;
        if (rdata.Length < 2 || rdata[0] != rdata.Length - 1)
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(rdata[1..]);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0
            || value.ToString(CultureInfo.InvariantCulture) != text)
        {
            return false;
        }

        generation = new Generation(value);
        return true;
    }

    /// <summary>The marker as text, for events (<c>"42"</c>, or the RFC 3597 form of something unreadable).</summary>
    public static string Describe(ReadOnlySpan<byte> rdata) => RdataFormatter.Format(Dns.Wire.DnsType.Txt, rdata);
}
