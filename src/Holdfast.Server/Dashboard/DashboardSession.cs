using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Holdfast.Server.Dashboard;

/// <summary>
/// Who may act from the dashboard. Reading follows the API's rule (its guard runs first); acting needs the API token,
/// given once on the sign-in form and kept in an HttpOnly, SameSite=Strict cookie (scripts cannot read it, other sites
/// cannot send it), with the operator's name in a second one: the audit's actor is <c>dashboard:NAME</c>. Every form
/// carries an anti-forgery token, checked here so that a refusal can say why.
/// </summary>
public sealed class DashboardSession
{
    public const string TokenCookie = "holdfast-token";
    public const string ActorCookie = "holdfast-actor";
    private readonly HoldfastHost _host;
    private readonly IAntiforgery _antiforgery;

    public DashboardSession(HoldfastHost host, IAntiforgery antiforgery)
    {
        _host = host;
        _antiforgery = antiforgery;
    }

    public bool IsSignedIn(HttpContext context) => ApiToken.Matches(_host.Token, context.Request.Cookies[TokenCookie]);

    /// <summary>The audit actor of the signed-in operator.</summary>
    public static string Actor(HttpContext context) => "dashboard:" + (context.Request.Cookies[ActorCookie] is { Length: > 0 } name ? name : "operator");

    /// <summary>Signs in when <paramref name="token"/> is the API token; false (and nothing set) otherwise.</summary>
    public bool SignIn(HttpContext context, string? token, string? name)
    {
        if (!ApiToken.Matches(_host.Token, token?.Trim()))
        {
            return false;
        }

        var cookie = Cookie(context);
        context.Response.Cookies.Append(TokenCookie, token!.Trim(), cookie);
        context.Response.Cookies.Append(ActorCookie, Clean(name), cookie);
        return true;
    }

    public static void SignOut(HttpContext context)
    {
        context.Response.Cookies.Delete(TokenCookie, Cookie(context));
        context.Response.Cookies.Delete(ActorCookie, Cookie(context));
    }

    /// <summary>Null when the request may act; otherwise why not (and the HTTP status to answer with).</summary>
    public async Task<(int Status, string Reason)?> RefusalAsync(HttpContext context)
    {
        if (!await _antiforgery.IsRequestValidAsync(context))
        {
            return (StatusCodes.Status400BadRequest, "refused: the form's anti-forgery token is missing or stale; reload the page and try again");
        }

        return IsSignedIn(context)
            ? null
            : (StatusCodes.Status401Unauthorized, $"refused: actions need the API token; sign in with the token in {_host.TokenPath}");
    }

    private static CookieOptions Cookie(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = "/ui",
        IsEssential = true,
    };

    // An operator's name for the audit: letters, digits and .-_@ only, at most 64.
    private static string Clean(string? name)
    {
        var kept = new string([.. (name ?? "").Trim().Where(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@').Take(64)]);
        return kept.Length == 0 ? "operator" : kept;
    }
}
