using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Names;
using Holdfast.Dns.Query;
using Holdfast.Dns.Wire;
using Holdfast.Dns.Zones;

namespace Holdfast.Dns.Transfer;

/// <summary>
/// Sends NOTIFY (RFC 1996) to every configured secondary whenever a zone's serial changes in the
/// <see cref="QueryEngine"/>. Each message is opcode NOTIFY, AA, question (apex, SOA, IN) and the new SOA in
/// the answer section as a hint (RFC 1996 §3.7), sent over UDP from its own socket; it is retried until the
/// secondary answers, waiting <see cref="ZoneTransferOptions.NotifyTimeout"/> and doubling after each silent
/// try, at most <see cref="ZoneTransferOptions.NotifyAttempts"/> times (RFC 1996 §3.6). A newer serial supersedes
/// an exchange still running for the same zone and secondary. Zones present at start are not announced (a
/// secondary checks on its own refresh timer after a restart). Time comes from the injected
/// <see cref="TimeProvider"/>; message IDs from the injected seeded <see cref="Random"/>. Thread-safe.
/// </summary>
public sealed class ZoneNotifier : IAsyncDisposable
{
    private readonly QueryEngine _engine;
    private readonly ZoneTransferOptions _options;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly Dictionary<byte[], uint> _serials = new(WireNameComparer.Instance);
    private readonly Dictionary<(string Zone, IPEndPoint Target), CancellationTokenSource> _running = [];
    private readonly List<Task> _tasks = [];
    private readonly CancellationTokenSource _stop = new();
    private long _sent;
    private long _acknowledged;
    private long _failed;

    public ZoneNotifier(QueryEngine engine, ZoneTransferOptions options, TimeProvider time, Random random)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(random);
        options.Validate();
        _engine = engine;
        _options = options;
        _time = time;
        _random = random;
        lock (_lock)
        {
            foreach (var zone in engine.Zones.Zones)
            {
                _serials[zone.Apex] = zone.Serial;
            }
        }

        _engine.Updated += OnUpdated;
    }

    /// <summary>NOTIFY datagrams sent, retries included.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Exchanges that ended with a NOERROR answer.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Exchanges that ended rejected or unanswered.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Raised when an exchange ends, on a pool thread.</summary>
    public event Action<NotifyOutcome>? Completed;

    public async ValueTask DisposeAsync()
    {
        _engine.Updated -= OnUpdated;
        await _stop.CancelAsync();
        Task[] tasks;
        lock (_lock)
        {
            tasks = [.. _tasks];
        }

        await Task.WhenAll(tasks);
        _stop.Dispose();
    }

    private void OnUpdated(ZoneSet zones)
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        lock (_lock)
        {
            foreach (var zone in zones.Zones)
            {
                if (_serials.TryGetValue(zone.Apex, out var known) && known == zone.Serial)
                {
                    continue;
                }

                _serials[zone.Apex] = zone.Serial;
                foreach (var target in _options.NotifyTargetsFor(zone.ApexText))
                {
                    StartLocked(zone, target);
                }
            }

            _tasks.RemoveAll(t => t.IsCompleted);
        }
    }

    private void StartLocked(ZoneSnapshot zone, IPEndPoint target)
    {
        var key = (zone.ApexText, target);
        if (_running.Remove(key, out var previous))
        {
            previous.Cancel();
        }

        var exchange = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        _running[key] = exchange;
        var id = (ushort)_random.Next(0, 65536);
        var message = BuildNotify(id, zone, _options.NotifyKey, (ulong)_time.GetUtcNow().ToUnixTimeSeconds(), (ushort)_options.TsigFudgeSeconds);
        _tasks.Add(Task.Run(() => ExchangeAsync(zone, target, id, message, exchange), CancellationToken.None));
    }

    private async Task ExchangeAsync(ZoneSnapshot zone, IPEndPoint target, ushort id, byte[] message, CancellationTokenSource exchange)
    {
        var attempts = 0;
        var result = NotifyResult.GaveUp;
        var rcode = -1;
        try
        {
            using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(target.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0));
            var timeout = _options.NotifyTimeout;
            var buffer = new byte[DnsConstants.ClassicUdpLimit * 2];
            while (attempts < _options.NotifyAttempts)
            {
                attempts++;
                await socket.SendToAsync(message, SocketFlags.None, target, exchange.Token);
                Interlocked.Increment(ref _sent);
                rcode = await AwaitAnswerAsync(socket, buffer, target, id, timeout, exchange.Token);
                if (rcode >= 0)
                {
                    result = rcode == DnsRcode.NoError ? NotifyResult.Acknowledged : NotifyResult.Rejected;
                    break;
                }

                timeout *= 2;
            }
        }
        catch (OperationCanceledException)
        {
            result = NotifyResult.Superseded;
        }
        catch (SocketException)
        {
            // The target is unreachable from here (no route, refused): nothing more to try for this serial.
            result = NotifyResult.GaveUp;
        }
        finally
        {
            lock (_lock)
            {
                var key = (zone.ApexText, target);
                if (_running.TryGetValue(key, out var current) && current == exchange)
                {
                    _running.Remove(key);
                }
            }

            exchange.Dispose();
        }

        if (result == NotifyResult.Superseded && _stop.IsCancellationRequested)
        {
            return;
        }

        Interlocked.Increment(ref result == NotifyResult.Acknowledged ? ref _acknowledged : ref _failed);
        Completed?.Invoke(new NotifyOutcome(zone.ApexText, target, zone.Serial, attempts, result, rcode));
    }

    /// <summary>The answer's RCODE, or -1 when none came within <paramref name="timeout"/>. Datagrams from elsewhere or with another ID are ignored.</summary>
    private async Task<int> AwaitAnswerAsync(Socket socket, byte[] buffer, IPEndPoint target, ushort id, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, wait.Token);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(target.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0), linked.Token);
                var from = (IPEndPoint)received.RemoteEndPoint;
                var answer = buffer.AsSpan(0, received.ReceivedBytes);
                if (!from.Equals(target) || answer.Length < DnsConstants.HeaderLength || BinaryPrimitives.ReadUInt16BigEndian(answer) != id
                    || (answer[2] & 0x80) == 0 || ((answer[2] >> 3) & 0xF) != TransferRequestReader.OpcodeNotify)
                {
                    continue;
                }

                return answer[3] & 0xF;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return -1;
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            // ICMP port unreachable reflected on the socket: the secondary is not listening yet; retry after the wait.
            await Task.Delay(timeout, _time, cancellationToken);
            return -1;
        }
    }

    /// <summary>The NOTIFY message; signed as a request (RFC 8945 §4.3.3) when a key is given. Retries resend it unchanged, well within the fudge.</summary>
    private static byte[] BuildNotify(ushort id, ZoneSnapshot zone, TsigKey? key, ulong now, ushort fudge)
    {
        var question = new byte[zone.Apex.Length + 4];
        zone.Apex.CopyTo(question, 0);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.Apex.Length), DnsType.Soa);
        BinaryPrimitives.WriteUInt16BigEndian(question.AsSpan(zone.Apex.Length + 2), DnsConstants.ClassIn);
        var writer = new TransferMessageWriter(DnsConstants.ClassicUdpLimit + (key is null ? 0 : Tsig.RecordLength(key)));

        // RFC 1996 §3.7 header: QR=0, OPCODE=NOTIFY, AA=1.
        writer.Begin(id, (ushort)((TransferRequestReader.OpcodeNotify << 11) | 0x0400), question, key is null ? 0 : Tsig.RecordLength(key));
        writer.TryAdd(ZoneContent.Soa(zone));
        var length = key is null ? writer.Length : Tsig.Sign(writer.Buffer, writer.Length, key, [], timersOnly: false, now, fudge, 0, [], out _);
        return writer.Buffer.AsSpan(0, length).ToArray();
    }
}
