using System.Text.RegularExpressions;

namespace Holdfast.Architecture.Tests;

/// <summary>
/// The control plane reads no files: configuration and master files are read by the host (Holdfast.Server), master-file
/// syntax is Holdfast.Dns's (MasterFileReader), and durable state is the store's. Holdfast.ControlPlane has no file
/// use at all today; one that is ever needed is listed here by path, with why.
/// </summary>
public sealed partial class SourceHygieneTests
{
    // System.IO's file system types, by static call or construction (StreamReader and StreamWriter open a path when given
    // one; the control plane needs neither); member access such as record.File is not one.
    [GeneratedRegex(@"(?<![\w.])(System\.IO\.)?(File|Directory)\.\w+|\bnew\s+(System\.IO\.)?(FileStream|FileInfo|DirectoryInfo|StreamReader|StreamWriter)\s*\(")]
    private static partial Regex FileSystemPattern();

    [Fact]
    public void ControlPlane_DoesNotTouchTheFileSystem()
    {
        var offenders = SourceFiles("src/Holdfast.ControlPlane/").SelectMany(f => Scan(f.Relative, File.ReadAllLines(f.Path), FileSystemPattern()));

        offenders.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("text = File.ReadAllText(file);")]
    [InlineData("var lines = System.IO.File.ReadLines(path);")]
    [InlineData("using var stream = new FileStream(path, FileMode.Open);")]
    [InlineData("var reader = new StreamReader(path);")]
    [InlineData("Directory.CreateDirectory(folder);")]
    public void ScanFileSystem_FileUse_IsReported(string line) =>
        Scan("src/X/Y.cs", [line], FileSystemPattern()).ShouldHaveSingleItem();

    [Theory]
    [InlineData("fileOf[record] = file.File;")]
    [InlineData("var records = new ZoneFileRecords(name, read);")]
    [InlineData("// File.ReadAllText belongs in the host.")]
    public void ScanFileSystem_OtherUse_IsNotReported(string line) =>
        Scan("src/X/Y.cs", [line], FileSystemPattern()).ShouldBeEmpty();
}
