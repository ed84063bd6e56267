using Microsoft.AspNetCore.Mvc;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Requests;

namespace StorageServer.WebConsole.Pages.Erasure;

/// <summary>Erasure requests with their state and deadline; overdue ones first to see.</summary>
internal sealed class IndexModel(ErasureRequestService requests, TimeProvider clock) : ConsolePage(clock)
{
    public static readonly string[] States = ["received", "previewed", "approved", "restricted", "erasing", "deferred", "completed", "cancelled"];

    [FromQuery(Name = "state")]
    public string? State { get; set; }

    [FromQuery(Name = "overdue")]
    public bool Overdue { get; set; }

    public IReadOnlyList<ErasureRequestResponse> Requests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var state = string.IsNullOrEmpty(State) ? null : State;
        if (await requests.ListAsync(state, Overdue, cancellationToken) is not { } list)
        {
            State = null;
            return Refused($"state must be one of {string.Join(", ", States)}.");
        }
        Requests = list.OrderByDescending(r => r.ReceivedAt).ToList();
        return Page();
    }
}
