using Holdfast.ControlPlane.Serving;
using Holdfast.Dns.Zones;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Reads the master files of a configured zone (<c>zones[].zoneFiles</c>) and has the control plane check them
/// (<see cref="StaticZoneRecords.TryCheck"/>): the host reads files, the control plane gets parsed records.
/// </summary>
internal static class ZoneFiles
{
    /// <summary>
    /// Reads every file of <paramref name="apex"/> (relative names are relative to it) and checks the records against the
    /// zone's <paramref name="endpointNames"/>. Each problem reads <c>file:line: message</c>; an unreadable file is line 0.
    /// </summary>
    public static bool TryRead(string apex, IReadOnlyList<string> files, IReadOnlyCollection<string> endpointNames, out IReadOnlyList<ZoneRecord> records, out IReadOnlyList<string> problems)
    {
        var read = new List<ZoneFileRecords>(files.Count);
        var errors = new List<string>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                errors.Add($"{file}:0: cannot read the zone file: {ex.Message}");
                continue;
            }

            if (MasterFileReader.TryReadRecords(text, file, apex, out var fileRecords, out var readErrors))
            {
                read.Add(new ZoneFileRecords(file, fileRecords));
            }
            else
            {
                errors.AddRange(readErrors.Select(e => e.ToString()));
            }
        }

        if (errors.Count > 0)
        {
            records = [];
            problems = errors;
            return false;
        }

        return StaticZoneRecords.TryCheck(apex, read, endpointNames, out records, out problems);
    }
}
