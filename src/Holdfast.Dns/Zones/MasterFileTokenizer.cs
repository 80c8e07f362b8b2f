using Holdfast.Dns.Records;

namespace Holdfast.Dns.Zones;

/// <summary>One entry of a master file: its tokens (parentheses already joined), its first line, and whether
/// the line began with a blank, meaning the owner is omitted (RFC 1035 §5.1).</summary>
internal sealed record MasterEntry(int Line, bool OwnerOmitted, List<PresentationToken> Tokens);

/// <summary>
/// Splits master file text into entries (RFC 1035 §5.1): whitespace separates tokens; <c>;</c> starts a
/// comment to the end of the line; parentheses let an entry run over several lines; <c>"…"</c> quotes a
/// string that may hold blanks and <c>;</c>; a backslash escapes the next character. A quoted string may
/// not cross a line end (as in Knot and NSD). An entry with a broken structure is reported and dropped;
/// reading goes on at the next line, so one run reports every such problem.
/// </summary>
internal static class MasterFileTokenizer
{
    /// <summary>
    /// Yields entries one at a time, so that a large zone never holds every entry's tokens at once: only the
    /// records read from them are kept. A problem is added to <paramref name="errors"/> when its entry is passed.
    /// </summary>
    public static IEnumerable<MasterEntry> Tokenize(string text, string file, List<MasterFileError> errors)
    {
        var tokens = new List<PresentationToken>();
        var line = 1;
        var entryLine = 1;
        var ownerOmitted = false;
        var depth = 0;
        var openedAt = 0;
        var broken = false;
        var lineStart = true;

        // A token is a run of the text (escapes kept as written), so it is cut out with one Substring.
        var tokenStart = -1;
        var i = 0;

        void EndToken()
        {
            if (tokenStart >= 0)
            {
                tokens.Add(new PresentationToken(text.Substring(tokenStart, i - tokenStart), false, line));
                tokenStart = -1;
            }
        }

        MasterEntry? EndEntry()
        {
            var entry = !broken && tokens.Count > 0 ? new MasterEntry(entryLine, ownerOmitted, [.. tokens]) : null;
            tokens.Clear();
            broken = false;
            depth = 0;
            return entry;
        }

        void Fail(int at, string message)
        {
            errors.Add(new MasterFileError(file, at, message));
            broken = true;
        }

        while (i < text.Length)
        {
            var c = text[i];
            if (lineStart)
            {
                lineStart = false;
                if (depth == 0)
                {
                    entryLine = line;
                    ownerOmitted = c is ' ' or '\t';
                }
            }

            switch (c)
            {
                case '\n':
                    EndToken();
                    if ((depth == 0 || broken) && EndEntry() is { } entry)
                    {
                        yield return entry;
                    }

                    line++;
                    lineStart = true;
                    i++;
                    continue;
                case ' ' or '\t' or '\r':
                    EndToken();
                    i++;
                    continue;
                case ';':
                    EndToken();
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case '(':
                    EndToken();
                    if (depth++ == 0)
                    {
                        openedAt = line;
                    }

                    i++;
                    continue;
                case ')':
                    EndToken();
                    if (depth == 0)
                    {
                        Fail(line, "')' without a matching '('");
                    }
                    else
                    {
                        depth--;
                    }

                    i++;
                    continue;
                case '"':
                    EndToken();
                    var start = ++i;
                    while (i < text.Length && text[i] != '\n' && text[i] != '"')
                    {
                        i += text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n' ? 2 : 1;
                    }

                    if (i >= text.Length || text[i] != '"')
                    {
                        Fail(line, "a quoted string is not closed before the end of the line");
                        continue;
                    }

                    tokens.Add(new PresentationToken(text[start..i], true, line));
                    i++;
                    continue;
                default:
                    if (tokenStart < 0)
                    {
                        tokenStart = i;
                    }

                    // A backslash takes the next character with it (kept as written for names and strings to resolve).
                    i += c == '\\' && i + 1 < text.Length && text[i + 1] != '\n' ? 2 : 1;
                    continue;
            }
        }

        EndToken();
        if (depth > 0 && !broken)
        {
            Fail(openedAt, "'(' is never closed");
        }

        if (EndEntry() is { } last)
        {
            yield return last;
        }
    }
}
