using Microsoft.AspNetCore.Mvc;
using StorageServer.Audit;

namespace StorageServer.WebConsole.Pages.Audit;

/// <summary>The hash-chained audit trail, newest first, with the chain's verification.</summary>
internal sealed class IndexModel(AuditTrail trail, TimeProvider clock) : ConsolePage(clock)
{
    public const int PageSize = 100;

    [FromQuery(Name = "before")]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEventResponse> Entries { get; private set; } = [];

    public AuditVerification Verification { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Verification = await trail.VerifyAsync(cancellationToken);
        Entries = await trail.ListAsync(Before, PageSize, newestFirst: true, cancellationToken);
    }
}
