using Holdfast.Testing.Chaos;

namespace Holdfast.Cli.Tests.EndToEnd;

/// <summary>
/// The chaos prober judges only responses: a socket that the kernel bound to a stopped node's free port reads back its
/// own query, which once showed up as five "empty answers" in a 10-minute run.
/// </summary>
public sealed class ChaosProbeTests
{
    [Fact]
    public void IsResponseTo_ItsOwnQueryEchoed_IsNotAResponse()
    {
        var query = ChaosProbe.Build(0xE3F4, "w0.chaos.example.", 1);

        ChaosProbe.IsResponseTo(query, query).ShouldBeFalse();
    }

    [Fact]
    public void IsResponseTo_AnAnswerToTheQuestion_IsAResponse()
    {
        var query = ChaosProbe.Build(0x1234, "w0.chaos.example.", 1);
        byte[] response = [.. query, 0xC0, 0x0C, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 127, 0, 1, 1];
        response[2] = 0x84;
        response[7] = 1;

        ChaosProbe.IsResponseTo(query, response).ShouldBeTrue();
        ChaosProbe.Parse(response).Addresses.ShouldBe(["127.0.1.1"]);
    }

    [Theory]
    [InlineData("c1.chaos.example.", 0x1234)]
    [InlineData("w0.chaos.example.", 0x1235)]
    public void IsResponseTo_AnotherQuestionOrId_IsNotAResponse(string name, int id)
    {
        var query = ChaosProbe.Build(0x1234, "w0.chaos.example.", 1);
        var other = ChaosProbe.Build((ushort)id, name, 1);
        other[2] = 0x84;

        ChaosProbe.IsResponseTo(query, other).ShouldBeFalse();
    }
}
