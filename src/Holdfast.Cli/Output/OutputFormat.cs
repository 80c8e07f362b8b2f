namespace Holdfast.Cli.Output;

/// <summary>How a client command prints its result (<c>-o table|json</c>).</summary>
internal enum OutputFormat
{
    /// <summary>Human-readable tables (Spectre.Console).</summary>
    Table,

    /// <summary>The API's JSON document, indented; one JSON object per line for streams.</summary>
    Json,
}
