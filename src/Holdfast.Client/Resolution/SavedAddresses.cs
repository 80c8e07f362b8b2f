using System.Collections.Immutable;
using System.Net;

namespace Holdfast.Client.Resolution;

/// <summary>A name's last good addresses and when they were last seen fresh (wall clock, as the file keeps it).</summary>
internal sealed record SavedAddresses(ImmutableArray<IPAddress> Addresses, DateTimeOffset SavedAt);
