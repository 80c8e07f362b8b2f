using System.Text.RegularExpressions;

namespace Holdfast.Architecture.Tests;

/// <summary>
/// Time and randomness are injected everywhere (the house style): direct clock reads, stopwatches, tick counts,
/// global or unseeded random sources and sleeps are allowed only in composition roots.
/// </summary>
public sealed partial class SourceHygieneTests
{
    // Composition roots: where TimeProvider.System and a fresh seed are created and handed down.
    private static readonly string[] s_compositionRoots =
    [
        "src/Holdfast.Cli/",
        "src/Holdfast.Server/Composition/",

        // The client library's dependency-injection extensions: an application's container is its composition root,
        // and these fall back to the system clock only when the application registered no TimeProvider.
        "src/Holdfast.Client/Http/HoldfastServiceCollectionExtensions.cs",
        "src/Holdfast.Client/Retries/HoldfastRetryHttpClientBuilderExtensions.cs",
    ];

    [GeneratedRegex(@"DateTime(Offset)?\.(Now|UtcNow|Today)\b|\bStopwatch\b|Environment\.TickCount|Random\.Shared|new\s+Random\s*\(\s*\)|Thread\.Sleep\s*\(|TimeProvider\.System")]
    private static partial Regex ForbiddenPattern();

    [Fact]
    public void Sources_OutsideCompositionRoots_DoNotReadClockOrGlobalRandom()
    {
        var offenders = new List<string>();
        foreach (var (relative, file) in SourceFiles("src/"))
        {
            if (!s_compositionRoots.Any(r => relative.StartsWith(r, StringComparison.Ordinal)))
            {
                offenders.AddRange(Scan(relative, File.ReadAllLines(file)));
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("var now = DateTime.UtcNow;")]
    [InlineData("var r = new Random();")]
    [InlineData("var sw = Stopwatch.StartNew();")]
    [InlineData("Thread.Sleep(10);")]
    [InlineData("var t = Environment.TickCount64;")]
    [InlineData("var x = Random.Shared.Next();")]
    [InlineData("var c = TimeProvider.System;")]
    public void Scan_ForbiddenUse_IsReported(string line) =>
        Scan("src/X/Y.cs", [line]).ShouldHaveSingleItem();

    [Theory]
    [InlineData("var r = new Random(seed);")]
    [InlineData("var now = _time.GetUtcNow();")]
    [InlineData("// DateTime.UtcNow is banned here; use the injected TimeProvider.")]
    public void Scan_AllowedUse_IsNotReported(string line) =>
        Scan("src/X/Y.cs", [line]).ShouldBeEmpty();

    /// <summary>The C# files under <paramref name="folder"/> (relative to the root, ending in /), build output left out.</summary>
    private static IEnumerable<(string Relative, string Path)> SourceFiles(string folder) =>
        Directory.GetFiles(Path.Combine(RepositoryRoot.Path, folder), "*.cs", SearchOption.AllDirectories)
            .Select(file => (Relative: Path.GetRelativePath(RepositoryRoot.Path, file).Replace('\\', '/'), Path: file))
            .Where(f => !f.Relative.Contains("/obj/", StringComparison.Ordinal) && !f.Relative.Contains("/bin/", StringComparison.Ordinal));

    private static IEnumerable<string> Scan(string relative, string[] lines) => Scan(relative, lines, ForbiddenPattern());

    /// <summary>Each line whose code (a <c>//</c> comment left out) matches <paramref name="pattern"/>, as <c>file:line: text</c>.</summary>
    private static IEnumerable<string> Scan(string relative, string[] lines, Regex pattern)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var code = lines[i];
            var comment = code.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0)
            {
                code = code[..comment];
            }

            if (pattern.IsMatch(code))
            {
                yield return $"{relative}:{i + 1}: {lines[i].Trim()}";
            }
        }
    }
}
