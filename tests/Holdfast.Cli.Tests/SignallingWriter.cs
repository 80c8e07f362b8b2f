using System.Text;

namespace Holdfast.Cli.Tests;

/// <summary>A thread-safe string writer that sets <see cref="Seen"/> once the text it got contains a marker.</summary>
internal sealed class SignallingWriter(string marker) : TextWriter
{
    private readonly StringBuilder _text = new();

    public ManualResetEventSlim Seen { get; } = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_text)
        {
            _text.Append(value);
            if (!Seen.IsSet && value == '\n' && _text.ToString().Contains(marker, StringComparison.Ordinal))
            {
                Seen.Set();
            }
        }
    }

    public override string ToString()
    {
        lock (_text)
        {
            return _text.ToString();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Seen.Dispose();
        }

        base.Dispose(disposing);
    }
}
