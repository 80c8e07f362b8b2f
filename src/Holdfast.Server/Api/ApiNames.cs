using System.Globalization;
using Holdfast.ControlPlane.Model;

namespace Holdfast.Server.Api;

/// <summary>How the API reads names and generations from a URL or body.</summary>
internal static class ApiNames
{
    /// <summary><c>api.svc.example</c> and <c>API.svc.example.</c> both mean <c>api.svc.example.</c>.</summary>
    public static string Endpoint(string name) => name.Trim().ToLowerInvariant().TrimEnd('.') + ".";

    /// <summary><c>12</c> or <c>g12</c>; false for anything else, zero or negative.</summary>
    public static bool TryGeneration(string? text, out Generation generation)
    {
        generation = Generation.None;
        var digits = text?.Trim();
        if (digits is null)
        {
            return false;
        }

        if (digits.StartsWith('g') || digits.StartsWith('G'))
        {
            digits = digits[1..];
        }

        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            return false;
        }

        generation = new Generation(value);
        return true;
    }
}
