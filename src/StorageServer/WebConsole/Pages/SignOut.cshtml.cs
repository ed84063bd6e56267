using Microsoft.AspNetCore.Mvc;
using StorageServer.WebConsole.Sessions;

namespace StorageServer.WebConsole.Pages;

/// <summary>Ends the session on the server (every node) and drops the cookie.</summary>
internal sealed class SignOutModel(ConsoleAuthentication authentication, TimeProvider clock) : ConsolePage(clock)
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await authentication.SignOutAsync(HttpContext, cancellationToken);
        return RedirectToPage("/SignIn");
    }
}
