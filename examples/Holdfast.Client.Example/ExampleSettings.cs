using System.Globalization;
using System.Net;

/// <summary>The example's command line, with the quickstart's values as defaults.</summary>
internal sealed record ExampleSettings(IPEndPoint Dns, string Name, int Port, int Requests, TimeSpan Interval)
{
    public static ExampleSettings? Parse(string[] args)
    {
        var settings = new ExampleSettings(IPEndPoint.Parse("127.0.0.1:5353"), "api.svc.example.", 18080, 20, TimeSpan.FromSeconds(1));
        if (args.Length % 2 != 0)
        {
            return null;
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--dns" when IPEndPoint.TryParse(value, out var dns):
                    settings = settings with { Dns = dns };
                    break;
                case "--name":
                    settings = settings with { Name = value };
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536:
                    settings = settings with { Port = port };
                    break;
                case "--requests" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var requests) && requests > 0:
                    settings = settings with { Requests = requests };
                    break;
                case "--interval" when double.TryParse(value.TrimEnd('s'), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                    settings = settings with { Interval = TimeSpan.FromSeconds(seconds) };
                    break;
                default:
                    return null;
            }
        }

        return settings;
    }
}
