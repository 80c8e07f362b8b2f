using System.Text.Json;

namespace Holdfast.Cli.Tests;

/// <summary>
/// Every client command against a real in-process host: tables carry the facts, <c>-o json</c> is the API's
/// document, changes need the token (exit 4 without), and refusals are exit 1 with one line.
/// </summary>
public sealed class ClientCommandTests(InProcessHost host) : IClassFixture<InProcessHost>
{
    [Fact]
    public async Task Status_Table_ShowsReadinessListenersAndEnactors()
    {
        var result = await RunAsync("status");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldMatch(@"ready\s+yes");
        result.Out.ShouldContain(host.Server.Replace("http://", string.Empty, StringComparison.Ordinal));
        result.Out.ShouldContain("enactor-az1");
        result.Out.ShouldContain("enactor-az2");
    }

    [Fact]
    public async Task Status_Json_IsTheApiDocument()
    {
        var result = await RunAsync("status", "-o", "json");

        result.Exit.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("ready").GetBoolean().ShouldBeTrue();
        json.RootElement.GetProperty("endpoints").GetInt32().ShouldBe(2);
        json.RootElement.GetProperty("enactors").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task GetEndpoints_Table_ShowsEachEndpointWithItsLiveAnswer()
    {
        var result = await RunAsync("get", "endpoints");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldMatch(@"NAME\s+ZONE\s+TTL\s+LIVE\s+LATEST\s+FROZEN\s+TARGETS\s+ANSWER");
        result.Out.ShouldMatch(@"web\.cli\.test\.\s+cli\.test\.\s+60\s+g\d+\s+g\d+\s+no\s+2\s+127\.0\.0\.21 127\.0\.0\.22");
    }

    [Fact]
    public async Task GetEndpoints_Json_ListsBothWithGenerations()
    {
        var result = await RunAsync("get", "endpoints", "-o", "json");

        result.Exit.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var names = json.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        names.ShouldBe([InProcessHost.Api, InProcessHost.Web], ignoreOrder: true);
        json.RootElement.EnumerateArray().ShouldAllBe(e => e.GetProperty("liveGeneration").GetInt64() > 0);
    }

    [Fact]
    public async Task GetTargets_OneEndpoint_ListsOnlyItsTargetsWithHealthPerSource()
    {
        var result = await RunAsync("get", "targets", "web.cli.test");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("127.0.0.21");
        result.Out.ShouldContain("127.0.0.22");
        result.Out.ShouldNotContain("127.0.0.11");

        var json = await RunAsync("get", "targets", InProcessHost.Api, "-o", "json");
        using var document = JsonDocument.Parse(json.Out);
        document.RootElement.GetArrayLength().ShouldBe(3);
        document.RootElement.EnumerateArray().ShouldAllBe(t => t.GetProperty("endpoint").GetString() == InProcessHost.Api);
    }

    [Fact]
    public async Task GetTargets_UnknownEndpoint_ExitsOne()
    {
        var result = await RunAsync("get", "targets", "nope.cli.test.");

        // The endpoint's point read answers 404, and the CLI passes the server's reason on in one line.
        result.Exit.ShouldBe(1, result.ToString());
        result.Error.Trim().Split('\n').ShouldHaveSingleItem();
        result.Error.ShouldContain("endpoint 'nope.cli.test.' does not exist");
        result.Error.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task GetPlans_UnknownEndpoint_ExitsOneWithTheServersReason()
    {
        var result = await RunAsync("get", "plans", "nope.cli.test.");

        result.Exit.ShouldBe(1, result.ToString());
        result.Error.Trim().Split('\n').ShouldHaveSingleItem();
        result.Error.ShouldContain("nope.cli.test.");
        result.Error.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task DescribeEndpoint_Table_ShowsPlanTargetsSourcesAndEvents()
    {
        var result = await RunAsync("describe", "endpoint", InProcessHost.Web);

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldMatch(@"name\s+web\.cli\.test\.");
        result.Out.ShouldMatch(@"live\s+g\d+ \[127\.0\.0\.21 127\.0\.0\.22\]");
        result.Out.ShouldContain("Targets:");
        result.Out.ShouldMatch(@"w1\s+127\.0\.0\.21\s+az1");
        result.Out.ShouldContain("Recent events:");
        result.Out.ShouldContain("apply.applied");
    }

    [Fact]
    public async Task DescribeEndpoint_Json_HasEndpointTargetsPlansAndEvents()
    {
        var result = await RunAsync("describe", "endpoint", InProcessHost.Api, "-o", "json");

        result.Exit.ShouldBe(0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("endpoint").GetProperty("name").GetString().ShouldBe(InProcessHost.Api);
        json.RootElement.GetProperty("targets").GetArrayLength().ShouldBe(3);
        json.RootElement.GetProperty("livePlan").GetProperty("records").GetArrayLength().ShouldBeGreaterThan(0);
        json.RootElement.GetProperty("events").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PlanDiff_LiveAgainstLatest_NoChangeExitsZero()
    {
        await InProcessHost.WaitForAsync(async () => (await host.EndpointAsync(InProcessHost.Web)) is var e && e.LiveGeneration == e.LatestGeneration, "web settled");

        var result = await RunAsync("plan", "diff", InProcessHost.Web);

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("no change");
    }

    [Fact]
    public async Task PlanDiff_TargetWentDown_DifferencesExitOneAndNameTheRecord()
    {
        var before = await host.LiveGenerationAsync(InProcessHost.Api);
        await host.ObserveAsync(InProcessHost.Api, "c", "down");
        await InProcessHost.WaitForAsync(async () => !(await host.EndpointAsync(InProcessHost.Api)).Answer.Contains("127.0.0.13"), "c leaves the answer");
        var after = await host.LiveGenerationAsync(InProcessHost.Api);

        var table = await RunAsync("plan", "diff", InProcessHost.Api, "--from", "g" + before, "--to", after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var json = await RunAsync("plan", "diff", InProcessHost.Api, "--from", before.ToString(System.Globalization.CultureInfo.InvariantCulture), "--to", "g" + after, "-o", "json");
        var history = await RunAsync("history", InProcessHost.Api);
        await host.ObserveAsync(InProcessHost.Api, "c", "up");

        table.Exit.ShouldBe(1, table.ToString());
        table.Out.ShouldMatch(@"-\s+127\.0\.0\.13");
        json.Exit.ShouldBe(1, json.ToString());
        using var document = JsonDocument.Parse(json.Out);
        document.RootElement.GetProperty("removed").EnumerateArray().Select(r => r.GetString()).ShouldBe(["127.0.0.13"]);
        history.Exit.ShouldBe(0, history.ToString());
        history.Out.ShouldMatch($@"g{after}\s+\S+ \S+\s+planner\s+(live|applied)\s+127\.0\.0\.1[12] 127\.0\.0\.1[12]\s");
    }

    [Fact]
    public async Task Freeze_WithoutToken_ExitsFourSayingWhereItLooked()
    {
        using var empty = new TempDirectory();

        var result = await CliRun.RunAsync(new Dictionary<string, string>(), "freeze", "--all", "--reason", "test", "--server", host.Server, "--data", empty.Path);

        result.Exit.ShouldBe(4, result.ToString());
        result.Error.ShouldContain("unauthorized");
        result.Error.ShouldContain(Path.Combine(empty.Path, "api-token"));
    }

    [Fact]
    public async Task Freeze_WrongToken_ExitsFour()
    {
        var result = await CliRun.RunAsync(new Dictionary<string, string> { ["HOLDFAST_TOKEN"] = "not-the-token" }, "freeze", "--all", "--reason", "test", "--server", host.Server);

        result.Exit.ShouldBe(4, result.ToString());
        result.Error.ShouldContain("HOLDFAST_TOKEN");
    }

    [Fact]
    public async Task FreezeAndUnfreeze_OneEndpoint_StatusAndEventsShowIt()
    {
        var frozen = await RunAsync("freeze", InProcessHost.Web, "--reason", "change window");
        var status = await RunAsync("status", "-o", "json");
        var unfrozen = await RunAsync("unfreeze", InProcessHost.Web, "--reason", "window over");
        var events = await RunAsync("events", "-o", "json", "--limit", "50");

        frozen.Exit.ShouldBe(0, frozen.ToString());
        frozen.Out.ShouldContain("froze web.cli.test.: change window");
        frozen.Out.ShouldContain("frozen now: web.cli.test.");
        using (var json = JsonDocument.Parse(status.Out))
        {
            json.RootElement.GetProperty("frozenEndpoints").EnumerateArray().Select(e => e.GetString()).ShouldContain(InProcessHost.Web);
        }

        unfrozen.Exit.ShouldBe(0, unfrozen.ToString());
        unfrozen.Out.ShouldContain("frozen now: nothing");
        using var log = JsonDocument.Parse(events.Out);
        var kinds = log.RootElement.EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("actor").GetString())).ToList();
        kinds.ShouldContain(k => k.Item1 == "freeze.set" && k.Item2!.StartsWith("cli:", StringComparison.Ordinal));
        kinds.ShouldContain(k => k.Item1 == "freeze.cleared");
    }

    [Fact]
    public async Task Rollback_UnknownGeneration_DryRunRefusedExitsOne()
    {
        var result = await RunAsync("rollback", InProcessHost.Web, "--to", "g999999", "--reason", "test", "--dry-run");

        result.Exit.ShouldBe(1, result.ToString());
        result.Out.ShouldContain("REFUSED");
        result.Out.ShouldContain("does not exist");
    }

    [Fact]
    public async Task Rollback_UnknownEndpoint_ExitsOne()
    {
        var result = await RunAsync("rollback", "nope.cli.test.", "--to", "last-good", "--reason", "test");

        result.Exit.ShouldBe(1, result.ToString());
        result.Error.ShouldStartWith("holdfast: ");
    }

    [Fact]
    public async Task Resume_NotPinned_ExitsOneWithTheConflict()
    {
        var result = await RunAsync("resume", InProcessHost.Web, "--reason", "test");

        result.Exit.ShouldBe(1, result.ToString());
        result.Error.ShouldContain("HTTP 409");
    }

    [Fact]
    public async Task Release_KnownZone_ExitsZero()
    {
        var result = await RunAsync("release", InProcessHost.Zone, "--reason", "monitors verified");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldContain("released self-preservation in cli.test.");
    }

    [Fact]
    public async Task Events_Table_ShowsTheLatestWithKinds()
    {
        var result = await RunAsync("events", "--limit", "5");

        result.Exit.ShouldBe(0, result.ToString());
        result.Out.ShouldMatch(@"SEQ\s+AT\s+KIND\s+ENDPOINT\s+ACTOR\s+MESSAGE");
        result.Out.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\s+\d{4}-")).ShouldBe(5);
    }

    [Fact]
    public async Task EventsWatch_Json_StreamsNewEventsOnePerLineUntilCancelled()
    {
        using var stdout = new SignallingWriter("freeze.set");
        using var stderr = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var console = new CliConsole(stdout, stderr, host.WithToken);
        var watch = HoldfastCommand.RunAsync(["events", "--watch", "-o", "json", "--server", host.Server], console, stop.Token);

        await InProcessHost.WaitForAsync(async () =>
        {
            // Freeze until the stream shows it (the watcher may connect after the first one).
            (await RunAsync("freeze", InProcessHost.Api, "--reason", "watch test")).Exit.ShouldBe(0);
            (await RunAsync("unfreeze", InProcessHost.Api, "--reason", "watch test")).Exit.ShouldBe(0);
            return stdout.Seen.Wait(TimeSpan.FromMilliseconds(500), TestContext.Current.CancellationToken);
        }, "freeze.set on the stream");
        await stop.CancelAsync();
        var exit = await watch;

        exit.ShouldBe(0, stderr.ToString());
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => JsonDocument.Parse(l, default).RootElement.GetProperty("seq").GetInt64() > 0);
    }

    private Task<CliResult> RunAsync(params string[] args) => CliRun.RunAsync(host.WithToken, [.. args, "--server", host.Server]);
}
