namespace Holdfast.Dns.Records;

/// <summary>
/// One token of presentation form (RFC 1035 §5.1): its text as written, escapes not yet resolved
/// (<c>\.</c>, <c>\DDD</c> stay as typed, so that names and strings decode them by their own rules), whether it
/// was a quoted string (quotes removed), and the 1-based line it starts on.
/// </summary>
public readonly record struct PresentationToken(string Text, bool Quoted, int Line);
