namespace Holdfast.Server.Tests.Static;

/// <summary>A temporary folder of zone files, deleted on dispose.</summary>
internal sealed class TempZoneFiles : IDisposable
{
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("holdfast-zones-").FullName;

    /// <summary>A zone for svc.example. with the given serial and address of www.</summary>
    public static string SvcZone(uint serial, string address) => $"""
        $TTL 300
        @    SOA ns1 hostmaster {serial} 3600 600 604800 60
        @    NS  ns1
        ns1  A   127.0.0.53
        www  A   {address}
        """;

    public string Write(string name, string text)
    {
        var path = Path.Combine(Directory, name);

        // Write then rename, as an operator's editor or deploy tool does, so a reload never reads half a file.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
