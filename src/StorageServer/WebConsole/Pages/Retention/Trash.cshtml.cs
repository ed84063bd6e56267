using Microsoft.AspNetCore.Mvc;
using StorageServer.Retention.Api;
using StorageServer.Retention.Trash;

namespace StorageServer.WebConsole.Pages.Retention;

/// <summary>What retention moved to the trash; restore puts a claim back (audited, as through the API).</summary>
internal sealed class TrashModel(TrashAdmin trash, TimeProvider clock) : ConsolePage(clock)
{
    [FromQuery(Name = "state")]
    public string State { get; set; } = "trashed";

    [FromQuery(Name = "repository")]
    public string? Repository { get; set; }

    public IReadOnlyList<TrashEntryResponse> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await trash.ListAsync(State, Repository, null, 500, cancellationToken) is not { } entries)
        {
            State = "trashed";
            return Refused($"state must be one of: {string.Join(", ", TrashAdmin.States)}.");
        }
        Entries = entries;
        return Page();
    }

    public async Task<IActionResult> OnPostRestoreAsync([FromForm] long id, CancellationToken cancellationToken)
    {
        var result = await trash.RestoreAsync(id, Actor, cancellationToken);
        if (result.Entry is not { } entry)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, result.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict);
        }
        return Done($"Restored {entry.Path ?? entry.Oid} in {entry.Repository}: it is served again.", null, new { state = State, repository = Repository });
    }
}
