using Microsoft.AspNetCore.Mvc;
using StorageServer.Holds;
using StorageServer.Repos;

namespace StorageServer.WebConsole.Pages.Holds;

/// <summary>Legal holds: place (one scope: object, repository or path glob), list, release with a reason.</summary>
internal sealed class IndexModel(LegalHoldService holds, RepositoryService repositories, TimeProvider clock) : ConsolePage(clock)
{
    public static readonly string[] States = ["active", "released", "all"];

    [FromQuery(Name = "state")]
    public string State { get; set; } = "active";

    public IReadOnlyList<HoldResponse> Holds { get; private set; } = [];

    public IReadOnlyList<string> Repositories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await holds.ListAsync(State, cancellationToken) is not { } list)
        {
            State = "active";
            return Refused("state must be active, released or all.");
        }
        Holds = list;
        Repositories = (await repositories.ListAsync(cancellationToken)).Select(r => r.Name).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostPlaceAsync(
        [FromForm] string? caseReference, [FromForm] string? repository, [FromForm] string? path, [FromForm] string? oid, [FromForm] string? reason, CancellationToken cancellationToken)
    {
        var request = new CreateHoldRequest(caseReference, Blank(repository), Blank(path), Blank(oid), Blank(reason));
        var result = await holds.CreateAsync(request, Actor, cancellationToken);
        if (result.Hold is not { } hold)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, result.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
        return Done($"Hold {hold.Id} placed for case {hold.CaseReference}: nothing it covers can be deleted until it is released.");
    }

    public async Task<IActionResult> OnPostReleaseAsync([FromForm] long id, [FromForm] string? reason, CancellationToken cancellationToken)
    {
        var result = await holds.ReleaseAsync(id, Blank(reason), Actor, cancellationToken);
        if (result.Hold is null)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, result.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
        return Done($"Hold {id} released.");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
