using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using StorageServer.Admin;

namespace StorageServer.WebConsole.Pages.Tokens;

/// <summary>Personal access tokens: issue (the secret is shown in this one response only), list with last use, revoke.</summary>
internal sealed class IndexModel(AccessTokenService tokens, TimeProvider clock) : ConsolePage(clock)
{
    public IReadOnlyList<TokenResponse> Tokens { get; private set; } = [];

    [FromQuery(Name = "repository")]
    public string? Repository { get; set; }

    /// <summary>Set only in the response to the issuing POST; never stored, never redirected with.</summary>
    public IssuedToken? Issued { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Tokens = await tokens.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostIssueAsync([FromForm] string? user, [FromForm] string? scopes, [FromForm] string? expires, CancellationToken cancellationToken)
    {
        var (levels, error) = ParseScopes(scopes);
        DateTimeOffset? expiresAt = null;
        if (error is null && !string.IsNullOrWhiteSpace(expires))
        {
            if (DateOnly.TryParseExact(expires, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                expiresAt = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            }
            else
            {
                error = "Expires must be a date (YYYY-MM-DD).";
            }
        }
        var result = error is null ? await tokens.IssueAsync(user?.Trim(), levels, expiresAt, Actor, cancellationToken) : null;
        await OnGetAsync(cancellationToken);
        if (result?.Issued is not { } issued)
        {
            return Refused(error ?? result!.Error!);
        }
        Issued = issued;
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync([FromForm] long id, CancellationToken cancellationToken)
    {
        var result = await tokens.RevokeAsync(id, Actor, cancellationToken);
        if (result.NotFound)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, StatusCodes.Status404NotFound);
        }
        return Done($"Token {id} ({result.Issued!.Token.User}) revoked: it no longer authenticates anything.");
    }

    /// <summary><c>team/data=write, *=read</c> (commas, spaces or new lines between scopes).</summary>
    public static (Dictionary<string, string>? Levels, string? Error) ParseScopes(string? text)
    {
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var scope in (text ?? "").Split([',', ' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (scope.Split('=') is not [{ Length: > 0 } repo, { Length: > 0 } level])
            {
                return (null, $"Scope '{scope}' must be repository=level, e.g. team/data=write or *=read.");
            }
            levels[repo] = level;
        }
        return (levels, null);
    }
}
