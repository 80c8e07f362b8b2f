using System.CommandLine.Parsing;
using System.Globalization;

namespace Holdfast.Cli;

/// <summary>Generations as the CLI prints them (<c>g42</c>) and as an operator may type them (<c>g42</c> or <c>42</c>).</summary>
internal static class GenerationText
{
    public static bool TryParse(string? text, out long generation)
    {
        generation = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var digits = text[0] is 'g' or 'G' ? text[1..] : text;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out generation) && generation > 0;
    }

    /// <summary>A System.CommandLine parser for an optional generation option; the error names the option.</summary>
    public static long? ParseOption(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
        if (TryParse(text, out var generation))
        {
            return generation;
        }

        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name} expects a generation such as 42 or g42, not '{text}'");
        return null;
    }
}
