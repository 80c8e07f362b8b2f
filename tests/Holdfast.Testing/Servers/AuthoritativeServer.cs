using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Holdfast.Testing.Servers;

/// <summary>
/// A real authoritative server (BIND, Knot or PowerDNS from Debian) serving one primary zone on 127.0.0.1 with a free
/// port, accepting RFC 2136 UPDATEs signed with one HMAC-SHA256 TSIG key, everything (config, zone, journal, database) in a
/// temp folder. NOTIFY off, no recursion, no DNSSEC validation, caches off (PowerDNS). <see cref="Kill"/> sends SIGKILL
/// by PID; <see cref="RestartAsync"/> starts it again on the same port and data; disposing kills it and removes the folder.
/// </summary>
/// <remarks>
/// The zone at the start:
/// <code>
/// svc.example.      3600 SOA ns1.svc.example. hostmaster.svc.example. 1 3600 600 604800 60
/// svc.example.      3600 NS  ns1.svc.example.
/// ns1.svc.example.  3600 A   127.0.0.53
/// </code>
/// </remarks>
public sealed class AuthoritativeServer : IAsyncDisposable
{
    public const string Zone = "svc.example.";

    private readonly StringBuilder _log = new();
    private readonly string _folder;
    private Process? _process;

    private AuthoritativeServer(ServerKind kind, string folder, int port, string keyName, string secret)
    {
        Kind = kind;
        _folder = folder;
        Port = port;
        KeyName = keyName;
        Secret = secret;
    }

    public ServerKind Kind { get; }

    public int Port { get; }

    public string KeyName { get; }

    /// <summary>Base64 secret of the TSIG key.</summary>
    public string Secret { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits (up to 20 s) until it answers the zone's SOA.</summary>
    public static async Task<AuthoritativeServer> StartAsync(ServerKind kind, string keyName, string secret)
    {
        var folder = Path.Combine(Path.GetTempPath(), "holdfast-" + kind.ToString().ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var server = new AuthoritativeServer(kind, folder, ExternalTool.FreePort(), keyName, secret);
        await server.ConfigureAsync();
        await server.RestartAsync();
        return server;
    }

    /// <summary>SIGKILL by PID, then waits for the exit: no clean shutdown, no flush.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }

    /// <summary>Starts the server again (after <see cref="Kill"/>) and waits until it answers.</summary>
    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        var (tool, arguments) = Kind switch
        {
            ServerKind.Bind => ("named", $"-g -n 1 -c {Path.Combine(_folder, "named.conf")}"),
            ServerKind.Knot => ("knotd", $"-c {Path.Combine(_folder, "knot.conf")}"),
            _ => ("pdns_server", $"--config-dir={_folder}"),
        };
        var start = new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        var up = await ExternalTool.WaitUntilAsync(
            async () => !process.HasExited && (await ExternalTool.RunAsync("dig", $"@127.0.0.1 -p {Port} +time=1 +tries=1 +short {Zone} SOA")).Output.Contains("hostmaster", StringComparison.Ordinal),
            TimeSpan.FromSeconds(20));
        if (!up)
        {
            throw new InvalidOperationException($"{Kind} did not start on port {Port}:\n{Log}");
        }
    }

    /// <summary>dig against this server: the answer's records, one presentation line each (<c>+noall +answer</c>).</summary>
    public async Task<string[]> DigAsync(string name, string type)
    {
        var output = await ExternalTool.DigAsync(Port, $"+noall +answer +nottlunits {name} {type}");
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => !l.StartsWith(';')).Select(l => string.Join(' ', l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)))];
    }

    /// <summary>Runs nsupdate (BIND's client) against this server with the key: <paramref name="commands"/> without the server, zone and send lines.</summary>
    public async Task<(int ExitCode, string Output)> NsupdateAsync(string commands)
    {
        var script = Path.Combine(_folder, "nsupdate-" + Guid.NewGuid().ToString("N") + ".txt");
        await File.WriteAllTextAsync(script, $"server 127.0.0.1 {Port}\nzone {Zone}\n{commands}\nsend\n");
        return await ExternalTool.RunAsync("nsupdate", $"-y hmac-sha256:{KeyName}:{Secret} {script}");
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is removed by the system eventually.
        }
    }

    private async Task ConfigureAsync()
    {
        const string zoneText = """
            $ORIGIN svc.example.
            @   3600 IN SOA ns1.svc.example. hostmaster.svc.example. 1 3600 600 604800 60
            @   3600 IN NS  ns1.svc.example.
            ns1 3600 IN A   127.0.0.53

            """;
        var zoneFile = Path.Combine(_folder, "svc.example.zone");
        await File.WriteAllTextAsync(zoneFile, zoneText);
        switch (Kind)
        {
            case ServerKind.Bind:
                await File.WriteAllTextAsync(Path.Combine(_folder, "named.conf"), string.Create(CultureInfo.InvariantCulture, $$"""
                    options {
                        directory "{{_folder}}";
                        pid-file "{{_folder}}/named.pid";
                        session-keyfile "{{_folder}}/session.key";
                        managed-keys-directory "{{_folder}}";
                        listen-on port {{Port}} { 127.0.0.1; };
                        listen-on-v6 { none; };
                        recursion no;
                        dnssec-validation no;
                        notify no;
                    };
                    controls { };
                    key "{{KeyName}}" { algorithm hmac-sha256; secret "{{Secret}}"; };
                    zone "{{Zone}}" { type primary; file "{{zoneFile}}"; allow-update { key "{{KeyName}}"; }; };
                    """));
                break;
            case ServerKind.Knot:
                await File.WriteAllTextAsync(Path.Combine(_folder, "knot.conf"), string.Create(CultureInfo.InvariantCulture, $"""
                    server:
                        rundir: "{_folder}"
                        listen: 127.0.0.1@{Port}
                        udp-workers: 1
                        tcp-workers: 1
                        background-workers: 1
                    database:
                        storage: "{_folder}"
                    key:
                      - id: {KeyName}
                        algorithm: hmac-sha256
                        secret: {Secret}
                    acl:
                      - id: push
                        address: 127.0.0.0/8
                        key: {KeyName}
                        action: update
                    zone:
                      - domain: {Zone}
                        storage: "{_folder}"
                        file: "svc.example.zone"
                        acl: push
                        zonefile-sync: -1
                    """));
                break;
            default:
                var database = Path.Combine(_folder, "pdns.sqlite3");
                await File.WriteAllTextAsync(Path.Combine(_folder, "pdns.conf"), string.Create(CultureInfo.InvariantCulture, $"""
                    launch=gsqlite3
                    gsqlite3-database={database}
                    local-address=127.0.0.1
                    local-port={Port}
                    socket-dir={_folder}
                    daemon=no
                    guardian=no
                    disable-syslog=yes
                    write-pid=no
                    dnsupdate=yes
                    allow-dnsupdate-from=127.0.0.0/8
                    cache-ttl=0
                    query-cache-ttl=0
                    negquery-cache-ttl=0
                    distributor-threads=1
                    receiver-threads=1
                    webserver=no
                    api=no

                    """));
                await RunOrThrowAsync("sqlite3", $"-init /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql {database} .quit");
                await RunOrThrowAsync("pdnsutil", $"--config-dir={_folder} load-zone {Zone} {zoneFile}");
                await RunOrThrowAsync("pdnsutil", $"--config-dir={_folder} import-tsig-key {KeyName} hmac-sha256 {Secret}");
                await RunOrThrowAsync("pdnsutil", $"--config-dir={_folder} set-meta {Zone} TSIG-ALLOW-DNSUPDATE {KeyName}");
                break;
        }
    }

    private static async Task RunOrThrowAsync(string tool, string arguments)
    {
        var (exit, output) = await ExternalTool.RunAsync(tool, arguments);
        if (exit != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} failed ({exit}):\n{output}");
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
