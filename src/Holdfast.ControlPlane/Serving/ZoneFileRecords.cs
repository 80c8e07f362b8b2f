using Holdfast.Dns.Zones;

namespace Holdfast.ControlPlane.Serving;

/// <summary>
/// The records the host read from one of a zone's master files (<see cref="MasterFileReader.TryReadRecords"/>), given to
/// <see cref="StaticZoneRecords.TryCheck"/>; the control plane never reads files itself.
/// </summary>
/// <param name="File">The file's name as configured: errors name it as <c>file:line</c>.</param>
public sealed record ZoneFileRecords(string File, IReadOnlyList<ZoneRecord> Records);
