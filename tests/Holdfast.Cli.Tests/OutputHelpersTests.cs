using Holdfast.Cli.Api;

namespace Holdfast.Cli.Tests;

/// <summary>The small parsers and formatters the commands rely on.</summary>
public sealed class OutputHelpersTests
{
    [Theory]
    [InlineData("42", 42L)]
    [InlineData("g42", 42L)]
    [InlineData("G7", 7L)]
    public void GenerationText_Valid_Parses(string text, long expected)
    {
        GenerationText.TryParse(text, out var generation).ShouldBeTrue();
        generation.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("g")]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("g-1")]
    [InlineData("4 2")]
    [InlineData("last")]
    public void GenerationText_Invalid_IsRefused(string text) => GenerationText.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("""{"title":"Not Found","status":404,"detail":"endpoint 'x.' does not exist"}""", "endpoint 'x.' does not exist")]
    [InlineData("""{"title":"Bad Request","errors":{"reason":["is required"]}}""", "Bad Request; reason: is required")]
    [InlineData("plain\ntext", "plain text")]
    [InlineData("", null)]
    public void ProblemText_Body_IsOneLine(string body, string? expected) => ProblemText.FromBody(body).ShouldBe(expected);
}
