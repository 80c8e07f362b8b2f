using System.Collections.Frozen;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Holdfast.Server.Dashboard;

/// <summary>
/// The dashboard's scripts, stylesheet and their licences, embedded in the assembly and served at
/// <c>/ui/assets/{file}</c>: nothing is loaded from outside the process, and the content root does not matter.
/// </summary>
internal static class DashboardAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type)> s_files = Load();

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/ui/assets/{file}", (string file, HttpResponse response) =>
        {
            if (!s_files.TryGetValue(file, out var asset))
            {
                return Results.NotFound();
            }

            response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(asset.Bytes, asset.Type);
        }).ExcludeFromDescription();

    private static FrozenDictionary<string, (byte[], string)> Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var file = name["dashboard/".Length..];
            var type = Path.GetExtension(file) switch
            {
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                _ => "text/plain; charset=utf-8",
            };
            files[file] = (copy.ToArray(), type);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
