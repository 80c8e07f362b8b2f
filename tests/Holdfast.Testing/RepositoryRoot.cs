namespace Holdfast.Testing;

/// <summary>Finds the repository root (the folder holding Holdfast.slnx) from the test's output folder.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Holdfast.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Holdfast.slnx not found above " + AppContext.BaseDirectory);
    }
}
