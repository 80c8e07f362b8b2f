using Holdfast.Dns.Names;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// A TSIG key (RFC 8945 §4): a name both parties agree on and a shared secret. Holdfast signs and verifies with
/// HMAC-SHA256 only (RFC 8945 §6 lists it as mandatory to implement).
/// </summary>
public sealed class TsigKey
{
    /// <param name="name">Presentation form, e.g. <c>xfr-key.</c>.</param>
    /// <param name="secret">The shared secret, at least 16 octets (RFC 8945 §6: at least the MAC's half-length).</param>
    public TsigKey(string name, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!WireName.TryFromText(name, out var wire, out var error))
        {
            throw new ArgumentException($"TSIG key name '{name}': {error}", nameof(name));
        }

        if (secret.Length < 16)
        {
            throw new ArgumentException($"TSIG key {name}: the secret is {secret.Length} octets, at least 16 are needed", nameof(secret));
        }

        Name = wire;
        Secret = [.. secret];
    }

    /// <summary>Lower-case wire form (the canonical form RFC 8945 §4.3.3 puts into the digest).</summary>
    public byte[] Name { get; }

    public string NameText => WireName.ToText(Name);

    public byte[] Secret { get; }

    /// <summary>Parses <c>name:base64-secret</c>, the form <c>dig -y hmac-sha256:name:secret</c> uses after the algorithm.</summary>
    public static TsigKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw new FormatException($"TSIG key '{text}' is not NAME:BASE64-SECRET");
        }

        byte[] secret;
        try
        {
            secret = Convert.FromBase64String(text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            throw new FormatException($"TSIG key '{text[..colon]}': the secret is not base64");
        }

        return new TsigKey(text[..colon], secret);
    }
}
