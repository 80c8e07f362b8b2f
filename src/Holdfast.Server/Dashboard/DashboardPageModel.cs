using Holdfast.Server.Api;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Holdfast.Server.Dashboard;

/// <summary>What every dashboard page has: the session (signed in or not) and a notice that says what an action did, or why it was refused.</summary>
public abstract class DashboardPageModel : PageModel
{
    protected DashboardPageModel(DashboardSession session) => Session = session;

    public DashboardSession Session { get; }

    /// <summary>What the last action did or why it was refused; null when there was none.</summary>
    public string? Notice { get; protected set; }

    /// <summary><c>ok</c>, <c>bad</c> or <c>info</c>: the notice's banner style (its text says the same).</summary>
    public string NoticeKind { get; protected set; } = "info";

    public bool SignedIn => Session.IsSignedIn(HttpContext);

    public string Actor => DashboardSession.Actor(HttpContext);

    /// <summary>False, with the status and notice set, when this request may not act (anti-forgery, sign-in).</summary>
    protected async Task<bool> MayActAsync()
    {
        if (await Session.RefusalAsync(HttpContext) is not { } refusal)
        {
            return true;
        }

        Response.StatusCode = refusal.Status;
        Notice = refusal.Reason;
        NoticeKind = "bad";
        return false;
    }

    /// <summary>Sets the notice from an action's outcome; true when it succeeded.</summary>
    protected bool Report<T>(ApiOutcome<T> outcome, Func<T, string> done)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(done);
        if (outcome.Problem is { } problem)
        {
            Response.StatusCode = problem.Status;
            Notice = "refused: " + problem.Detail;
            NoticeKind = "bad";
            return false;
        }

        Notice = done(outcome.Value!);
        NoticeKind = "ok";
        return true;
    }
}
