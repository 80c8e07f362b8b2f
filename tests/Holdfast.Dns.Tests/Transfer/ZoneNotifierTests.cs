using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Holdfast.Dns.Query;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Wire;
using Holdfast.Testing;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// NOTIFY (RFC 1996) to a test-owned UDP socket on 127.0.0.1 playing the secondary, under a manual clock: what is
/// sent, when it is retried, and how each exchange ends.
/// </summary>
public sealed class ZoneNotifierTests : IAsyncDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);
    private readonly TimerCountingTimeProvider _time = new(TestTime.IncidentStart);
    private readonly Socket _secondary = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly QueryEngine _engine = new(Set(Zone(1, "127.0.0.1")));
    private readonly ConcurrentQueue<NotifyOutcome> _outcomes = new();
    private readonly ZoneNotifier _notifier;

    public ZoneNotifierTests()
    {
        _secondary.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var options = Open() with { NotifyTargets = [(IPEndPoint)_secondary.LocalEndPoint!], NotifyTimeout = s_timeout, NotifyAttempts = 4 };
        _notifier = new ZoneNotifier(_engine, options, _time, new Random(1996));
        _notifier.Completed += _outcomes.Enqueue;
    }

    public async ValueTask DisposeAsync()
    {
        await _notifier.DisposeAsync();
        _secondary.Dispose();
    }

    [Fact]
    public async Task Update_NewSerial_SendsNotifyWithSoaHintAndStopsWhenAcknowledged()
    {
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        var (message, from) = await ReceiveAsync();

        // RFC 1996 §3.7: QR=0, OPCODE=NOTIFY, AA=1, question (apex, SOA), the new SOA as a hint.
        ((message[2] >> 3) & 0xF).ShouldBe(4);
        (message[2] & 0x80).ShouldBe(0);
        (message[2] & 0x04).ShouldBe(4);
        var view = ResponseView.Parse(message);
        view.Question.ShouldBe(["svc.example. SOA"]);
        view.Answer.ShouldBe([Soa(2)]);

        await AnswerAsync(message, from, DnsRcode.NoError);
        var outcome = await OutcomeAsync();
        outcome.ShouldBe(outcome with { Zone = Apex, Serial = 2, Attempts = 1, Result = NotifyResult.Acknowledged, Rcode = 0 });
        _notifier.Acknowledged.ShouldBe(1);
    }

    [Fact]
    public async Task Update_SilentSecondary_RetriesWithDoublingTimeoutThenGivesUp()
    {
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        var (first, _) = await ReceiveAsync();
        var wait = s_timeout;
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            // The clock moves only once the notifier waits, so each step is measured exactly: nothing a
            // millisecond before the wait ends, the retry (or, after the fourth try, the end) right at it.
            await WaitForArmedTimerAsync();
            _time.Advance(wait - TimeSpan.FromMilliseconds(1));
            (await TryReceiveAsync(TimeSpan.FromMilliseconds(300))).ShouldBeNull($"attempt {attempt} came early");
            _outcomes.ShouldBeEmpty();
            _time.Advance(TimeSpan.FromMilliseconds(1));
            if (attempt == 5)
            {
                break;
            }

            var (retry, _) = await ReceiveAsync();
            retry.ShouldBe(first, "a retry repeats the same message, ID included");
            wait *= 2;
        }

        var outcome = await OutcomeAsync();
        outcome.Result.ShouldBe(NotifyResult.GaveUp);
        outcome.Attempts.ShouldBe(4);
        (await TryReceiveAsync(TimeSpan.FromMilliseconds(300))).ShouldBeNull("four attempts at most");
        _notifier.Sent.ShouldBe(4);
        _notifier.Failed.ShouldBe(1);
    }

    [Fact]
    public async Task Update_SecondaryRefuses_IsNotRetried()
    {
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        var (message, from) = await ReceiveAsync();
        await AnswerAsync(message, from, DnsRcode.Refused);
        var outcome = await OutcomeAsync();
        outcome.Result.ShouldBe(NotifyResult.Rejected);
        outcome.Rcode.ShouldBe(DnsRcode.Refused);
        (await ReceiveWhileAdvancingAsync(steps: 20)).ShouldBeNull();
    }

    [Fact]
    public async Task Update_AnswerWithOtherId_IsIgnoredAndRetried()
    {
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        var (message, from) = await ReceiveAsync();
        var forged = message.ToArray();
        forged[0] ^= 0xFF;
        await AnswerAsync(forged, from, DnsRcode.NoError);
        var retry = await ReceiveWhileAdvancingAsync();
        retry.ShouldNotBeNull();
        await AnswerAsync(retry.Value.Message, retry.Value.From, DnsRcode.NoError);
        (await OutcomeAsync()).Attempts.ShouldBe(2);
    }

    [Fact]
    public async Task Update_NewerSerialWhileRetrying_SupersedesTheOlderExchange()
    {
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        await ReceiveAsync();
        _engine.Update(Set(Zone(3, "127.0.0.3")));
        var (message, from) = await ReceiveAsync();
        ResponseView.Parse(message).Answer.ShouldBe([Soa(3)]);
        await AnswerAsync(message, from, DnsRcode.NoError);
        var first = await OutcomeAsync();
        var second = await OutcomeAsync();
        new[] { first, second }.Select(o => (o.Serial, o.Result)).Order().ShouldBe([(2u, NotifyResult.Superseded), (3u, NotifyResult.Acknowledged)]);
    }

    [Fact]
    public async Task Update_WithNotifyKey_SendsNotifySignedAsTheRfcSays()
    {
        byte[] secret = [.. Enumerable.Range(0, 32).Select(i => (byte)(i + 1))];
        var options = Open() with
        {
            NotifyTargets = [(IPEndPoint)_secondary.LocalEndPoint!],
            TsigKeys = [new TsigKey("notify-key.", secret)],
            NotifyKeyName = "notify-key.",
        };
        await using var signing = new ZoneNotifier(_engine, options, _time, new Random(8945));
        _engine.Update(Set(Zone(2, "127.0.0.2")));
        var (message, _) = await ReceiveAsync();
        if (ResponseView.Parse(message).Additional.Length == 0)
        {
            // The unsigned notifier of this class answered first; the signed one comes next.
            (message, _) = await ReceiveAsync();
        }

        TransferRequestReader.TryRead(message, out var request).ShouldBe(QueryReadStatus.Ok);
        var tsig = request!.Tsig.ShouldNotBeNull();
        tsig.TimeSigned.ShouldBe((ulong)_time.GetUtcNow().ToUnixTimeSeconds());

        // Re-signing the unsigned part with the test's own RFC 8945 signer gives the very same octets.
        var unsigned = message[..tsig.Start];
        unsigned[11]--;
        message.ShouldBe(SignRequest(unsigned, "notify-key.", secret, (long)tsig.TimeSigned));
    }

    [Fact]
    public void Options_NotifyKeyNotAmongKeys_IsRejectedNamingIt()
    {
        var options = Open() with { NotifyKeyName = "missing." };
        Should.Throw<ArgumentException>(options.Validate).Message.ShouldContain("NotifyKeyName missing.");
    }

    [Fact]
    public async Task Update_SameSerial_SendsNothing()
    {
        _engine.Update(Set(Zone(1, "127.0.0.9")));
        (await ReceiveWhileAdvancingAsync(steps: 10)).ShouldBeNull();
        _notifier.Sent.ShouldBe(0);
    }

    private async Task<(byte[] Message, IPEndPoint From)> ReceiveAsync(TimeSpan? wait = null)
    {
        var buffer = new byte[1500];
        using var deadline = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(10));
        var result = await _secondary.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), deadline.Token);
        return (buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
    }

    private async Task<(byte[] Message, IPEndPoint From)?> TryReceiveAsync(TimeSpan wait)
    {
        try
        {
            return await ReceiveAsync(wait);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task WaitForArmedTimerAsync() =>
        (await ExternalTool.WaitUntilAsync(() => Task.FromResult(_time.ArmedTimers > 0), TimeSpan.FromSeconds(10))).ShouldBeTrue("the notifier never started waiting");

    /// <summary>Moves the manual clock in half-second steps, looking for a datagram after each; null when none came.</summary>
    private async Task<(byte[] Message, IPEndPoint From)?> ReceiveWhileAdvancingAsync(int steps = 80)
    {
        for (var step = 0; step < steps; step++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(500));
            try
            {
                return await ReceiveAsync(TimeSpan.FromMilliseconds(60));
            }
            catch (OperationCanceledException)
            {
                // Nothing yet: advance again.
            }
        }

        return null;
    }

    private async Task AnswerAsync(byte[] notify, IPEndPoint to, int rcode)
    {
        var answer = notify.ToArray();
        answer[2] |= 0x80;
        answer[3] = (byte)((answer[3] & 0xF0) | rcode);
        await _secondary.SendToAsync(answer, SocketFlags.None, to);
    }

    private async Task<NotifyOutcome> OutcomeAsync()
    {
        NotifyOutcome? outcome = null;
        (await ExternalTool.WaitUntilAsync(() => Task.FromResult(_outcomes.TryDequeue(out outcome)), TimeSpan.FromSeconds(10))).ShouldBeTrue("no outcome");
        return outcome!;
    }
}
