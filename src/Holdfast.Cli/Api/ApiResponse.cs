using System.Text.Json;

namespace Holdfast.Cli.Api;

/// <summary>
/// A successful response: the typed value for tables and the document exactly as the server sent it, which
/// <c>-o json</c> prints (so JSON output is the API's documented shape, not a copy of it).
/// </summary>
internal sealed record ApiResponse<T>(T Value, JsonElement Json);
