using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Holdfast.Server.Dashboard;

/// <summary>The operator's dashboard (docs/dashboard.md): server-rendered Razor Pages under <c>/ui</c>, live through the event stream.</summary>
internal static class DashboardSetup
{
    public static void AddDashboard(this IServiceCollection services, HoldfastHost host)
    {
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Dashboard/Pages";
            // Checked by DashboardSession.RefusalAsync instead, so that a refused form says why (the filter answers a bare 400).
            o.Conventions.ConfigureFilter(new IgnoreAntiforgeryTokenAttribute());
        })
            // The pages are compiled into this assembly; the process's entry assembly is the CLI, which MVC would search.
            .AddApplicationPart(typeof(DashboardSetup).Assembly);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "holdfast-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.Cookie.Path = "/ui";
        });
        // Keys in the data directory: a restart keeps signed-in forms valid.
        services.AddDataProtection()
            .SetApplicationName("holdfast-dashboard")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(host.Options.DataDirectory, "dashboard-keys")));
        services.AddSingleton<DashboardSession>();
        services.AddSingleton(host.Timeline);
        services.AddSingleton(host.TransferActivity);
    }

    public static void MapDashboard(this WebApplication app)
    {
        app.MapGet("/", () => Results.Redirect("/ui")).ExcludeFromDescription();
        DashboardAssets.Map(app);
        app.MapRazorPages();
    }
}
