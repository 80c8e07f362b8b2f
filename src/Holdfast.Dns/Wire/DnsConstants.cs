namespace Holdfast.Dns.Wire;

/// <summary>Numbers from the DNS RFCs used on the wire.</summary>
public static class DnsConstants
{
    /// <summary>RFC 1035 §4.1.1: the header is 12 octets.</summary>
    public const int HeaderLength = 12;

    /// <summary>RFC 1035 §2.3.4: names are at most 255 octets on the wire, labels at most 63.</summary>
    public const int MaxNameLength = 255;

    public const int MaxLabelLength = 63;

    /// <summary>RFC 1035 §2.3.4: a UDP message without EDNS is at most 512 octets.</summary>
    public const int ClassicUdpLimit = 512;

    /// <summary>RFC 6891 §6.2.5 and DNS flag day 2020: the default maximum UDP response Holdfast sends.</summary>
    public const int DefaultEdnsUdpLimit = 1232;

    /// <summary>RFC 7766 §8: DNS over TCP carries up to 65535 octets per message.</summary>
    public const int TcpLimit = 65535;

    public const ushort ClassIn = 1;

    /// <summary>RFC 2136 §1.3: class NONE (254) marks "does not exist" prerequisites and single-record deletes.</summary>
    public const ushort ClassNone = 254;

    /// <summary>RFC 1035 §3.2.5: class ANY (255).</summary>
    public const ushort ClassAny = 255;
}
