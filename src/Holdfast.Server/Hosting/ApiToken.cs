using System.Security.Cryptography;
using System.Text;

namespace Holdfast.Server.Hosting;

/// <summary>
/// The bearer token of mutating API calls: 32 random bytes (hex) in <c>&lt;dataDirectory&gt;/api-token</c>,
/// created on first start with mode 0600 so only the owner (and the CLI run by them) can read it.
/// </summary>
public static class ApiToken
{
    public const string FileName = "api-token";

    /// <summary>Reads the token, creating the file first when it does not exist. Returns the token and whether it was created.</summary>
    public static (string Token, bool Created) LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 32)
            {
                return (existing, false);
            }

            throw new InvalidOperationException($"{path} holds no usable token (expected at least 32 characters); delete it to have a new one created");
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with owner-only permissions: no window in which another user could read it.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(path, options))
        {
            file.Write(Encoding.ASCII.GetBytes(token + "\n"));
        }

        return (token, true);
    }

    /// <summary>Compares in constant time, so the response time does not leak how much of a guess was right.</summary>
    public static bool Matches(string expected, string? presented) =>
        presented is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(presented));
}
