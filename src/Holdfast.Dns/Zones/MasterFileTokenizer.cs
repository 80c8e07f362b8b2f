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
internal sealed class MasterFileTokenizer(TextReader reader, string file, List<MasterFileError> errors)
{
    /// <summary>How many lines were read (at least 1; a last line without '\n' counts): known once <see cref="Entries"/> is done.</summary>
    public int LineCount { get; private set; } = 1;

    /// <summary>
    /// Yields entries one at a time as the reader gives its text, so that a large zone is never held whole, as text
    /// or as tokens: only the records read from the entries are kept. A problem is added to the error list when its
    /// entry is passed.
    /// </summary>
    public IEnumerable<MasterEntry> Entries()
    {
        var tokens = new List<PresentationToken>();
        var line = 0;
        var entryLine = 1;
        var ownerOmitted = false;
        var depth = 0;
        var openedAt = 0;
        var broken = false;

        // A token is a run of its line (escapes kept as written), so it is cut out with one Substring.
        var text = "";
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

        // Only '\n' ends a line (a lone '\r' is a blank, as it always was here), so lines are split by hand.
        foreach (var (lineText, ended) in Lines(reader))
        {
            text = lineText;
            line++;
            i = 0;
            if (depth == 0)
            {
                entryLine = line;
                ownerOmitted = text.Length > 0 && (text[0] is ' ' or '\t');
            }

            while (i < text.Length)
            {
                var c = text[i];
                switch (c)
                {
                    case ' ' or '\t' or '\r':
                        EndToken();
                        i++;
                        continue;
                    case ';':
                        // A comment runs to the end of the line.
                        EndToken();
                        i = text.Length;
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
                        while (i < text.Length && text[i] != '"')
                        {
                            i += text[i] == '\\' && i + 1 < text.Length ? 2 : 1;
                        }

                        if (i >= text.Length)
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
                        i += c == '\\' && i + 1 < text.Length ? 2 : 1;
                        continue;
                }
            }

            EndToken();
            if (ended && (depth == 0 || broken) && EndEntry() is { } entry)
            {
                yield return entry;
            }
        }

        LineCount = Math.Max(1, line);
        if (depth > 0 && !broken)
        {
            Fail(openedAt, "'(' is never closed");
        }

        if (EndEntry() is { } last)
        {
            yield return last;
        }
    }

    /// <summary>The lines of <paramref name="reader"/>'s text, split at '\n' (removed), each with whether a '\n' ended it.</summary>
    private static IEnumerable<(string Text, bool Ended)> Lines(TextReader reader)
    {
        var buffer = new char[16 * 1024];
        var pending = new System.Text.StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var end = Array.IndexOf(buffer, '\n', 0, read); end >= 0; end = Array.IndexOf(buffer, '\n', start, read - start))
            {
                string line;
                if (pending.Length == 0)
                {
                    line = new string(buffer, start, end - start);
                }
                else
                {
                    line = pending.Append(buffer, start, end - start).ToString();
                    pending.Clear();
                }

                yield return (line, true);
                start = end + 1;
            }

            pending.Append(buffer, start, read - start);
        }

        if (pending.Length > 0)
        {
            yield return (pending.ToString(), false);
        }
    }
}
