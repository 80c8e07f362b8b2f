using System.Text.Json;
using System.Text.Json.Serialization;
using Holdfast.Server.Api;
using Holdfast.Server.Configuration;
using Holdfast.Server.Dashboard;
using Holdfast.Server.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Holdfast.Server.Hosting;

public sealed partial class HoldfastHost
{
    private WebApplication BuildWeb(HoldfastOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Holdfast.Server", Args = [] });
        builder.Logging.ClearProviders();
        if (_settings.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Information);
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
            // The dashboard's anti-forgery keys sit unencrypted in the data directory, beside the API token it protects
            // just the same (mode 0700): the warning that says so at every start is noise.
            builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        }

        builder.WebHost.ConfigureKestrel(k => k.Listen(options.Api.Listen));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        builder.Services.AddSingleton(this);
        builder.Services.AddSingleton<HoldfastReads>();
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(_desiredState);
        builder.Services.AddSingleton(_settings.DemoTargets);
        // Built from the control plane's parts, which exist once it started: resolved at their first call, and the API's
        // guard lets calls through only then. Enactors and health sources need a restart to change.
        builder.Services.AddSingleton(_ => EndpointWriteRules.From(Options));
        builder.Services.AddSingleton(_ => new ObservationIntake(Aggregator, Time, [.. Options.HealthSources.Select(s => s.Name)]));
        builder.Services.AddSingleton(_ => new HoldfastActions(Store, Operations, Planner, Observer));
        builder.Services.AddDashboard(this);
        builder.Services.AddHoldfastMetricsExport(Metrics.Meter, options.Metrics.Otlp);
        var app = builder.Build();
        app.MapHoldfastApi(this);
        // After the API's guard: /metrics is a read, open to the same clients as the other reads.
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapDashboard();
        return app;
    }

    /// <summary>The API's JSON: camelCase names, enums as camelCase strings, nulls left out.</summary>
    public static void ConfigureJson(JsonSerializerOptions json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        json.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
    }
}
