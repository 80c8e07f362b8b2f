using System.Xml.Linq;

namespace Holdfast.Architecture.Tests;

/// <summary>
/// References point down the list of docs/design/architecture.md: Dns references nothing of ours; ControlPlane may use
/// Dns; storage, health, push and simulation reference ControlPlane (simulation also Client, whose retry code its
/// retry-storm scenario runs); Client references only Dns; Server wires
/// everything but the simulator; Cli references Server and Simulation; nothing references Server or Cli.
/// </summary>
public sealed class ProjectReferenceTests
{
    private static readonly Dictionary<string, string[]> s_allowed = new()
    {
        ["Holdfast.Dns"] = [],
        ["Holdfast.ControlPlane"] = ["Holdfast.Dns"],
        ["Holdfast.Storage.Sqlite"] = ["Holdfast.ControlPlane", "Holdfast.Dns"],
        ["Holdfast.Storage.Etcd"] = ["Holdfast.ControlPlane", "Holdfast.Dns"],
        ["Holdfast.Health"] = ["Holdfast.ControlPlane", "Holdfast.Dns"],
        ["Holdfast.Simulation"] = ["Holdfast.ControlPlane", "Holdfast.Dns", "Holdfast.Health", "Holdfast.Client"],
        ["Holdfast.Push"] = ["Holdfast.ControlPlane", "Holdfast.Dns"],
        ["Holdfast.Client"] = ["Holdfast.Dns"],
        ["Holdfast.Server"] = ["Holdfast.Dns", "Holdfast.ControlPlane", "Holdfast.Storage.Sqlite", "Holdfast.Storage.Etcd", "Holdfast.Health", "Holdfast.Push"],
        ["Holdfast.Cli"] = ["Holdfast.Server", "Holdfast.Simulation", "Holdfast.Dns", "Holdfast.ControlPlane", "Holdfast.Storage.Sqlite", "Holdfast.Storage.Etcd", "Holdfast.Health", "Holdfast.Push"],
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var csproj in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(csproj));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void SourceProject_References_OnlyWhatArchitectureAllows(string project)
    {
        s_allowed.ShouldContainKey(project, $"{project} is not a component named in docs/design/architecture.md");
        var references = ReferencesOf(Path.Combine(RepositoryRoot.Path, "src", project, project + ".csproj"));
        var forbidden = references.Except(s_allowed[project]).ToArray();
        forbidden.ShouldBeEmpty($"{project} references {string.Join(", ", forbidden)}, which docs/design/architecture.md does not allow");
    }

    [Fact]
    public void NoProject_References_ServerOrCli_ExceptCliAndTests()
    {
        var offenders = new List<string>();
        foreach (var csproj in Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var name = Path.GetFileNameWithoutExtension(csproj);
            foreach (var reference in ReferencesOf(csproj))
            {
                if (reference == "Holdfast.Cli" || (reference == "Holdfast.Server" && name != "Holdfast.Cli"))
                {
                    offenders.Add($"{name} -> {reference}");
                }
            }
        }

        offenders.ShouldBeEmpty();
    }

    [Fact]
    public void ReferenceReader_SeesReferencesOfCli()
    {
        // Guards the reader itself: a parser that found nothing would make every check above pass.
        var references = ReferencesOf(Path.Combine(RepositoryRoot.Path, "src", "Holdfast.Cli", "Holdfast.Cli.csproj"));
        references.ShouldContain("Holdfast.Server");
    }

    internal static string[] ReferencesOf(string csprojPath) =>
        XDocument.Load(csprojPath)
            .Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToArray();
}
