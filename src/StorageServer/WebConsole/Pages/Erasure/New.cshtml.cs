using Microsoft.AspNetCore.Mvc;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Requests;

namespace StorageServer.WebConsole.Pages.Erasure;

/// <summary>
/// Files a request. The subject and the identifiers arrive in the POST body only; they are never
/// bound to the page, never put in a URL (the answer redirects to the request's random id) and
/// never written back into the form, even when it is refused.
/// </summary>
[RequestFormLimits(ValueCountLimit = 16)]
internal sealed class NewModel(ErasureRequestService requests, TimeProvider clock) : ConsolePage(clock)
{
    /// <summary>Kept when a submission is refused: it is not personal data.</summary>
    public string? LegalBasis { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(
        [FromForm] string? subject, [FromForm] string? identifiers, [FromForm] string? legalBasis, [FromForm] bool caseInsensitive, CancellationToken cancellationToken)
    {
        var list = (identifiers ?? "").Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var result = await requests.CreateAsync(new CreateErasureRequest(subject?.Trim(), legalBasis, list.Count == 0 ? null : list, caseInsensitive), Actor, cancellationToken);
        if (result.Request is not { } request)
        {
            LegalBasis = legalBasis;
            return Refused(result.Error! + " The subject and identifiers were not kept: type them again.");
        }
        return Done($"Request {request.Id} filed: its preview is being computed. Nothing changes until it is approved.", "/Erasure/Show", new { id = request.Id });
    }
}
