namespace Holdfast.Cli.Api.Contracts;

/// <summary>Records a change would add and remove.</summary>
internal sealed record RecordDiff(IReadOnlyList<string>? Added, IReadOnlyList<string>? Removed);
