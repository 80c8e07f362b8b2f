using System.Text;
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
    public static List<MasterEntry> Tokenize(string text, string file, List<MasterFileError> errors)
    {
        var entries = new List<MasterEntry>();
        var tokens = new List<PresentationToken>();
        var token = new StringBuilder();
        var line = 1;
        var entryLine = 1;
        var ownerOmitted = false;
        var depth = 0;
        var openedAt = 0;
        var broken = false;
        var lineStart = true;

        void EndToken(bool quoted, int tokenLine)
        {
            if (quoted || token.Length > 0)
            {
                tokens.Add(new PresentationToken(token.ToString(), quoted, tokenLine));
            }

            token.Clear();
        }

        void EndEntry()
        {
            if (!broken && tokens.Count > 0)
            {
                entries.Add(new MasterEntry(entryLine, ownerOmitted, [.. tokens]));
            }

            tokens.Clear();
            broken = false;
            depth = 0;
        }

        void Fail(int at, string message)
        {
            errors.Add(new MasterFileError(file, at, message));
            broken = true;
        }

        var i = 0;
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
                    EndToken(false, line);
                    if (depth == 0 || broken)
                    {
                        EndEntry();
                    }

                    line++;
                    lineStart = true;
                    i++;
                    continue;
                case ' ' or '\t' or '\r':
                    EndToken(false, line);
                    i++;
                    continue;
                case ';':
                    EndToken(false, line);
                    while (i < text.Length && text[i] != '\n')
                    {
                        i++;
                    }

                    continue;
                case '(':
                    EndToken(false, line);
                    if (depth++ == 0)
                    {
                        openedAt = line;
                    }

                    i++;
                    continue;
                case ')':
                    EndToken(false, line);
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
                    EndToken(false, line);
                    i++;
                    var closed = false;
                    while (i < text.Length && text[i] != '\n')
                    {
                        if (text[i] == '"')
                        {
                            closed = true;
                            i++;
                            break;
                        }

                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] != '\n')
                        {
                            token.Append(text[i++]);
                        }

                        token.Append(text[i++]);
                    }

                    if (!closed)
                    {
                        token.Clear();
                        Fail(line, "a quoted string is not closed before the end of the line");
                        continue;
                    }

                    EndToken(true, line);
                    continue;
                case '\\':
                    // Kept with the escaped character: names and strings resolve escapes by their own rules.
                    token.Append(c);
                    if (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        token.Append(text[i + 1]);
                        i += 2;
                    }
                    else
                    {
                        i++;
                    }

                    continue;
                default:
                    token.Append(c);
                    i++;
                    continue;
            }
        }

        EndToken(false, line);
        if (depth > 0 && !broken)
        {
            Fail(openedAt, "'(' is never closed");
        }

        EndEntry();
        return entries;
    }
}
