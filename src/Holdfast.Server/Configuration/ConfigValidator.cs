using System.Collections;

namespace Holdfast.Server.Configuration;

/// <summary>
/// Reads and validates <c>holdfast.yaml</c> with <c>HOLDFAST_…</c> environment overrides: used at start-up,
/// on reload (SIGHUP) and by <c>holdfast config validate FILE</c>. Returns every error at once, each naming
/// the key path and the YAML line (or the environment variable) and saying what is expected. Never throws
/// on bad input.
/// </summary>
public static class ConfigValidator
{
    /// <summary>Reads <paramref name="path"/>; a missing or unreadable file is one error.</summary>
    public static ConfigResult ValidateFile(string path, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return new ConfigResult(null, [new ConfigError("(file)", path, "cannot read the configuration file: " + ex.Message)]);
        }

        return Validate(text, path, environment);
    }

    /// <summary>Validates YAML text; <paramref name="fileName"/> names it in errors.</summary>
    public static ConfigResult Validate(string yaml, string fileName, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new List<ConfigError>();
        var root = YamlConfigReader.Read(yaml, fileName, errors);
        if (root is null)
        {
            return new ConfigResult(null, errors);
        }

        EnvironmentOverrides.Apply(root, environment ?? new Dictionary<string, string>(), errors);
        var locations = new ConfigLocations { Root = root, Fallback = root.Location };
        var options = ConfigBinder.Bind(root, errors, locations);
        if (errors.Count == 0)
        {
            ConfigRules.Check(options, locations, errors);
        }

        return errors.Count == 0 ? new ConfigResult(options, []) : new ConfigResult(null, errors);
    }

    /// <summary>The process's <c>HOLDFAST_…</c> variables, for the composition root.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && key.StartsWith(EnvironmentOverrides.Prefix, StringComparison.OrdinalIgnoreCase) && entry.Value is string value)
            {
                result[key] = value;
            }
        }

        return result;
    }
}
