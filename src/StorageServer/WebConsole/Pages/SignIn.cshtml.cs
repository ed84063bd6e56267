using Microsoft.AspNetCore.Mvc;
using StorageServer.WebConsole.Sessions;

namespace StorageServer.WebConsole.Pages;

/// <summary>The only console page open without a session.</summary>
[RequestFormLimits(ValueLengthLimit = 16 * 1024, ValueCountLimit = 8)]
internal sealed class SignInModel(ConsoleAuthentication authentication, TimeProvider clock) : ConsolePage(clock)
{
    [BindProperty(SupportsGet = true, Name = "returnUrl")]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "token")] string? token, CancellationToken cancellationToken)
    {
        var refusal = await authentication.SignInAsync(HttpContext, token, cancellationToken);
        if (refusal is not null)
        {
            return Refused(refusal, StatusCodes.Status401Unauthorized);
        }
        // Only a path of this console: never an absolute or protocol-relative URL (open redirect).
        return Url.IsLocalUrl(ReturnUrl) && ReturnUrl.StartsWith("/console", StringComparison.Ordinal) ? LocalRedirect(ReturnUrl) : RedirectToPage("/Index");
    }
}
