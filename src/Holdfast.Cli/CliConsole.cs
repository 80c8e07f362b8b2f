using Holdfast.Server.Configuration;
using Spectre.Console;

namespace Holdfast.Cli;

/// <summary>
/// Where a command writes and what it reads from its environment. Tests pass string writers and a
/// dictionary; <see cref="System"/> is the real process.
/// </summary>
/// <param name="Interactive">True when stdout is a terminal (colours and the terminal's width for tables).</param>
/// <param name="Environment">The <c>HOLDFAST_…</c> environment variables (token, config overrides).</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string> Environment, bool Interactive = false)
{
    /// <summary>Width of tables when stdout is not a terminal: wide enough that lines do not wrap in logs.</summary>
    private const int PipeWidth = 200;

    public static CliConsole System { get; } = new(Console.Out, Console.Error, ConfigValidator.ProcessEnvironment(), !Console.IsOutputRedirected);

    /// <summary>A Spectre console for rendering tables to <see cref="Out"/> (rendering only; no prompts).</summary>
    public IAnsiConsole CreateAnsiConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!Interactive)
        {
            console.Profile.Width = PipeWidth;
        }

        return console;
    }
}
