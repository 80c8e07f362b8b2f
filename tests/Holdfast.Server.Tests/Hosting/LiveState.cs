namespace Holdfast.Server.Tests.Hosting;

/// <summary>An endpoint's applied generation and its addresses in order, space-separated (value equality).</summary>
internal sealed record LiveState(long Generation, string Addresses)
{
    public int Count => Addresses.Length == 0 ? 0 : Addresses.Split(' ').Length;
}
