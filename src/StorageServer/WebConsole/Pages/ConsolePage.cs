using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using StorageServer.Auth;

namespace StorageServer.WebConsole.Pages;

/// <summary>
/// Base of every console page: who acts (for the audit trail), the server's clock, and the
/// post-redirect-get pattern (a flash message for the next page) or an error shown in place.
/// </summary>
public abstract class ConsolePage(TimeProvider clock) : PageModel
{
    [TempData]
    public string? Flash { get; set; }

    /// <summary>Why the last form was refused; shown above the page's content.</summary>
    public string? Error { get; private set; }

    public DateTimeOffset Now { get; } = clock.GetUtcNow();

    protected string Actor => User.UserName();

    /// <summary>Re-renders the page with <paramref name="error"/> and a status that says what went wrong.</summary>
    protected IActionResult Refused(string error, int status = StatusCodes.Status400BadRequest)
    {
        Error = error;
        Response.StatusCode = status;
        return Page();
    }

    protected IActionResult Done(string message, string? page = null, object? routeValues = null)
    {
        Flash = message;
        return page is null ? RedirectToPage(routeValues) : RedirectToPage(page, routeValues);
    }
}
