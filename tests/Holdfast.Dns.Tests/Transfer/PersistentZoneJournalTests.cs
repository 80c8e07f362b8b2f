using Holdfast.Dns.Names;
using Holdfast.Dns.Transfer;
using Holdfast.Dns.Zones;
using Holdfast.Testing;
using static Holdfast.Dns.Tests.Transfer.TransferFixtures;
using Microsoft.Extensions.Time.Testing;

namespace Holdfast.Dns.Tests.Transfer;

/// <summary>
/// The journal kept in files (<see cref="ZoneJournal.Persistent"/>): steps written, read back at a zone's first publish,
/// kept only when they end at the zone served; torn tails cut, corrupt files set aside, the file bounded.
/// The zone at serial N serves api at 127.0.0.N, so each step deletes one address and adds one.
/// </summary>
public sealed class PersistentZoneJournalTests : IDisposable
{
    private static readonly byte[] s_apex = WireName.FromText(Apex);
    private readonly TempDirectory _directory = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 12, 0, 0, TimeSpan.Zero));
    private readonly List<JournalNotice> _notices = [];

    public void Dispose() => _directory.Dispose();

    private string FilePath => Path.Combine(_directory.Path, "svc.example.journal");

    private ZoneJournal Open(int depth = 32, long maxBytes = 100L << 20)
    {
        var journal = ZoneJournal.Persistent(_directory.Path, new ZoneTransferOptions { JournalDepth = depth, JournalMaxBytes = maxBytes }, _time);
        journal.Noticed += n =>
        {
            lock (_notices)
            {
                _notices.Add(n);
            }
        };
        return journal;
    }

    private static ZoneSnapshot At(uint serial) => Zone(serial, $"127.0.0.{serial}");

    /// <summary>Serves serials first..last through a fresh journal and writes them out.</summary>
    private async Task WriteAsync(uint first, uint last, int depth = 32)
    {
        await using var journal = Open(depth);
        for (var serial = first; serial <= last; serial++)
        {
            journal.Observe(Set(At(serial)));
        }
    }

    [Fact]
    public async Task Reload_SameSerialAndContent_KeepsTheHistory_AndAnswersTheSameSteps()
    {
        await WriteAsync(1, 4);
        File.Exists(FilePath).ShouldBeTrue();

        await using var again = Open();
        again.Observe(Set(At(4)));
        again.KnownSerials(s_apex).ShouldBe([1u, 2u, 3u]);
        again.TryGetChanges(s_apex, 2, out var steps, out var newest).ShouldBeTrue();
        newest!.Serial.ShouldBe(4u);
        steps.Select(s => (s.FromSerial, s.ToSerial)).ShouldBe([(2u, 3u), (3u, 4u)]);
        steps[0].Deleted.ShouldHaveSingleItem().ToString().ShouldEndWith("7F000002");
        steps[0].Added.ShouldHaveSingleItem().ToString().ShouldEndWith("7F000003");
        _notices.ShouldHaveSingleItem().Kind.ShouldBe(JournalNoticeKind.Loaded);
        _notices[0].ToString().ShouldBe($"journal svc.example. loaded: 3 step(s), serials 1 -> 4 ({FilePath})");

        // Steps after the reload are appended to the same file and read back behind the loaded ones.
        again.Observe(Set(At(5)));
        await again.DisposeAsync();
        await using var third = Open();
        third.Observe(Set(At(5)));
        third.KnownSerials(s_apex).ShouldBe([1u, 2u, 3u, 4u]);
    }

    [Fact]
    public async Task Reload_ServedSerialIsNewer_DiscardsTheHistory_AndRewritesTheFile()
    {
        await WriteAsync(1, 4);

        await using var again = Open();
        again.Observe(Set(At(5)));
        again.KnownSerials(s_apex).ShouldBeEmpty();
        var notice = _notices.ShouldHaveSingleItem();
        notice.Kind.ShouldBe(JournalNoticeKind.Discarded);
        notice.Detail.ShouldContain("it ends at serial 4, the zone is served at serial 5");

        await again.FlushAsync();
        var contents = ZoneJournalFile.Read(FilePath, s_apex);
        contents.Status.ShouldBe(JournalFileStatus.Read);
        contents.Steps.ShouldBeEmpty();
    }

    [Fact]
    public async Task Reload_SameSerialOtherRecords_DiscardsTheHistory()
    {
        await WriteAsync(1, 4);

        // Serial 4 again, but a record changed while the server was stopped, without a new serial.
        await using var again = Open();
        again.Observe(Set(Zone(4, "127.0.0.4", "127.0.0.99")));
        again.KnownSerials(s_apex).ShouldBeEmpty();
        _notices.ShouldHaveSingleItem().Detail.ShouldContain("serial 4 is served with other records");
    }

    [Fact]
    public async Task Reload_FirstPublishHasNoZones_KeepsTheFileForTheZonesFirstPublish()
    {
        // The hosts build the handler before the zones are loaded: an empty first set must not delete the file.
        await WriteAsync(1, 3);
        await using var again = Open();
        again.Observe(new ZoneSet([]));
        await again.FlushAsync();
        again.Observe(Set(At(3)));
        again.KnownSerials(s_apex).ShouldBe([1u, 2u]);
    }

    [Fact]
    public async Task ZoneNoLongerServed_ItsFileIsDeleted()
    {
        await using var journal = Open();
        journal.Observe(Set(At(1)));
        journal.Observe(Set(At(2)));
        await journal.FlushAsync();
        File.Exists(FilePath).ShouldBeTrue();
        journal.Observe(new ZoneSet([]));
        await journal.FlushAsync();
        File.Exists(FilePath).ShouldBeFalse();
    }

    [Fact]
    public async Task Read_EveryPrefixOfTheFile_IsTheWholeFramesBeforeTheCut_NeverCorrupt()
    {
        await WriteAsync(1, 4);
        var bytes = await File.ReadAllBytesAsync(FilePath);
        var header = ZoneJournalFile.Header(s_apex).Length;
        var frameEnds = FrameEnds(bytes, header);
        frameEnds.Count.ShouldBe(3);
        for (var length = header; length <= bytes.Length; length++)
        {
            using var stream = new MemoryStream(bytes, 0, length);
            var contents = ZoneJournalFile.Read(stream, s_apex);
            var whole = frameEnds.Count(end => end <= length);
            contents.Steps.Count.ShouldBe(whole, $"prefix {length}");
            contents.ValidLength.ShouldBe(whole == 0 ? header : frameEnds[whole - 1]);
            contents.Status.ShouldBe(frameEnds.Contains(length) || length == header ? JournalFileStatus.Read : JournalFileStatus.TornTail, $"prefix {length}");
        }
    }

    [Fact]
    public async Task Reload_TornTail_IsCutOff_TheWholeStepsKept_AndAppendsFollowThem()
    {
        await WriteAsync(1, 4);
        var bytes = await File.ReadAllBytesAsync(FilePath);
        var ends = FrameEnds(bytes, ZoneJournalFile.Header(s_apex).Length);

        // The last frame cut in its middle, as a SIGKILL during the append leaves it: serials 1 -> 3 survive.
        await File.WriteAllBytesAsync(FilePath, bytes[..(int)(ends[1] + 5)]);
        await using (var again = Open())
        {
            again.Observe(Set(At(3)));
            again.KnownSerials(s_apex).ShouldBe([1u, 2u]);
            _notices.Select(n => n.Kind).ShouldBe([JournalNoticeKind.TornTailCut, JournalNoticeKind.Loaded]);
            new FileInfo(FilePath).Length.ShouldBe(ends[1]);
            again.Observe(Set(At(4)));
        }

        await using var third = Open();
        third.Observe(Set(At(4)));
        third.KnownSerials(s_apex).ShouldBe([1u, 2u, 3u]);
    }

    [Fact]
    public async Task Reload_ZeroFilledTail_IsATornTail()
    {
        await WriteAsync(1, 3);
        var bytes = await File.ReadAllBytesAsync(FilePath);
        await File.WriteAllBytesAsync(FilePath, [.. bytes, .. new byte[4096]]);
        await using var again = Open();
        again.Observe(Set(At(3)));
        again.KnownSerials(s_apex).ShouldBe([1u, 2u]);
        _notices[0].Kind.ShouldBe(JournalNoticeKind.TornTailCut);
    }

    [Theory]
    [InlineData("middle frame")]
    [InlineData("magic")]
    [InlineData("other zone")]
    public async Task Reload_CorruptFile_IsSetAside_AndTheHistoryStartsEmpty(string damage)
    {
        await WriteAsync(1, 4);
        var bytes = await File.ReadAllBytesAsync(FilePath);
        var ends = FrameEnds(bytes, ZoneJournalFile.Header(s_apex).Length);
        switch (damage)
        {
            case "middle frame":
                bytes[(int)ends[0] + 20] ^= 0x40;
                break;
            case "magic":
                bytes[0] = (byte)'X';
                break;
            default:
                bytes = [.. ZoneJournalFile.Header(WireName.FromText("other.example.")), .. bytes[ZoneJournalFile.Header(s_apex).Length..]];
                break;
        }

        await File.WriteAllBytesAsync(FilePath, bytes);
        await using var again = Open();
        again.Observe(Set(At(4)));
        again.KnownSerials(s_apex).ShouldBeEmpty();
        var notice = _notices.ShouldHaveSingleItem();
        notice.Kind.ShouldBe(JournalNoticeKind.Corrupt);
        notice.IsProblem.ShouldBeTrue();
        notice.Detail.ShouldContain("set aside as svc.example.journal.corrupt-20261203T120000Z");
        (await File.ReadAllBytesAsync(FilePath + ".corrupt-20261203T120000Z")).ShouldBe(bytes);

        // A new history is written in its place and followed from there.
        again.Observe(Set(At(5)));
        await again.FlushAsync();
        ZoneJournalFile.Read(FilePath, s_apex).Steps.Select(s => s.Diff.ToSerial).ShouldBe([5u]);
    }

    [Fact]
    public async Task Observe_ManySteps_TheFileStaysWithinMaxBytes_AndKeepsTheNewest()
    {
        const long maxBytes = ZoneTransferOptions.MinJournalMaxBytes;

        // Each step carries 40 addresses out and 40 in (about 2 KiB): 200 steps are several times the bound.
        static ZoneSnapshot Wide(uint serial) => Zone(serial, [.. Enumerable.Range(0, 40).Select(i => $"127.{serial % 200}.{serial / 200}.{i}")]);
        await using (var journal = Open(depth: 10_000, maxBytes: maxBytes))
        {
            for (uint serial = 1; serial <= 200; serial++)
            {
                journal.Observe(Set(Wide(serial)));
                if (serial % 7 == 0)
                {
                    await journal.FlushAsync();
                    new FileInfo(FilePath).Length.ShouldBeLessThanOrEqualTo(maxBytes, $"after serial {serial}");
                }
            }

            var kept = journal.KnownSerials(s_apex);
            kept.Count.ShouldBeGreaterThan(5);
            kept.Count.ShouldBeLessThan(100);
            kept[^1].ShouldBe(199u);
        }

        new FileInfo(FilePath).Length.ShouldBeLessThanOrEqualTo(maxBytes);
        await using var again = Open(depth: 10_000, maxBytes: maxBytes);
        again.Observe(Set(Wide(200)));
        again.KnownSerials(s_apex)[^1].ShouldBe(199u);
    }

    [Fact]
    public async Task Observe_ManySmallSteps_TheFileHoldsAtMostTwiceTheDepth_SoARestartReadsAboutTheDepth()
    {
        await using (var journal = Open(depth: 4))
        {
            for (uint serial = 1; serial <= 60; serial++)
            {
                journal.Observe(Set(At(serial)));
                await journal.FlushAsync();
                ZoneJournalFile.Read(FilePath, s_apex).Steps.Count.ShouldBeLessThanOrEqualTo(8, $"after serial {serial}");
            }
        }

        var steps = ZoneJournalFile.Read(FilePath, s_apex).Steps;
        steps.Count.ShouldBeGreaterThanOrEqualTo(4);
        steps[^1].Diff.ToSerial.ShouldBe(60u);
        await using var again = Open(depth: 4);
        again.Observe(Set(At(60)));
        again.KnownSerials(s_apex).ShouldBe([56u, 57u, 58u, 59u]);
    }

    [Fact]
    public async Task Reload_SmallerDepth_KeepsOnlyTheNewestSteps()
    {
        await WriteAsync(1, 10);
        await using var again = Open(depth: 2);
        again.Observe(Set(At(10)));
        again.KnownSerials(s_apex).ShouldBe([8u, 9u]);
    }

    [Fact]
    public void FileNameFor_EscapesWhatIsNotALetterDigitHyphenOrDot()
    {
        ZoneJournalFile.FileNameFor(WireName.FromText("Svc.Example.")).ShouldBe("svc.example.journal");
        ZoneJournalFile.FileNameFor(WireName.FromText("_tcp.x.")).ShouldBe("%5ftcp.x.journal");
        ZoneJournalFile.FileNameFor(WireName.FromText(".")).ShouldBe("_root.journal");
    }

    /// <summary>Where each step frame ends, read from the frames' length fields.</summary>
    private static List<long> FrameEnds(byte[] file, int header)
    {
        var ends = new List<long>();
        for (long at = header; at < file.Length;)
        {
            at += ZoneJournalFile.FrameHeaderLength + System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)at));
            ends.Add(at);
        }

        return ends;
    }
}
