using System.Net;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// The transfer clients and NOTIFY targets of one zone, overriding <see cref="ZoneTransferOptions.AllowTransfer"/>
/// and <see cref="ZoneTransferOptions.NotifyTargets"/> for it (as a per-zone <c>acl</c> and <c>notify</c> in Knot
/// or <c>provide-xfr</c> and <c>notify</c> in NSD).
/// </summary>
/// <param name="Apex">Presentation form, lower-case, with the trailing dot, e.g. <c>svc.example.</c>.</param>
public sealed record ZoneTransferPeers(string Apex, IReadOnlyList<IPNetwork> AllowTransfer, IReadOnlyList<IPEndPoint> NotifyTargets);
