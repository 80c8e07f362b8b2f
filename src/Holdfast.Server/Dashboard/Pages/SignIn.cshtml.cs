using Holdfast.Server.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Holdfast.Server.Dashboard.Pages;

/// <summary>Sign-in with the API token (kept in an HttpOnly, SameSite=Strict cookie) and a name for the audit; sign-out.</summary>
public sealed class SignInModel : DashboardPageModel
{
    private readonly IAntiforgery _antiforgery;

    public SignInModel(DashboardSession session, IAntiforgery antiforgery, HoldfastHost host)
        : base(session)
    {
        _antiforgery = antiforgery;
        TokenPath = host.TokenPath;
    }

    public string TokenPath { get; }

    public async Task<IActionResult> OnPostAsync(string? token, string? name)
    {
        if (!await _antiforgery.IsRequestValidAsync(HttpContext))
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Notice = "refused: the form's anti-forgery token is missing or stale; reload the page and try again";
            NoticeKind = "bad";
            return Page();
        }

        if (!Session.SignIn(HttpContext, token, name))
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Notice = $"refused: that is not the API token (it is in {TokenPath})";
            NoticeKind = "bad";
            return Page();
        }

        return Redirect("/ui");
    }

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        if (await _antiforgery.IsRequestValidAsync(HttpContext))
        {
            DashboardSession.SignOut(HttpContext);
        }

        return Redirect("/ui");
    }
}
