using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using StorageServer.Erasure.Api;
using StorageServer.Erasure.Preview;
using StorageServer.Erasure.Receipts;
using StorageServer.Erasure.Requests;

namespace StorageServer.WebConsole.Pages.Erasure;

/// <summary>
/// One request from filing to receipt: state and deadline (extend), the preview (approve, with
/// the flags acknowledged when there are any; or cancel), and once completed the signed receipt,
/// verified by the server, to download.
/// </summary>
internal sealed class ShowModel(ErasureRequestService requests, ErasurePreviewQuery previews, ReceiptDocuments receipts, ReceiptVerifierService verifier, TimeProvider clock)
    : ConsolePage(clock)
{
    public const int PageSize = 50;

    [FromRoute(Name = "id")]
    public string Id { get; set; } = "";

    [FromQuery(Name = "offset")]
    public int Offset { get; set; }

    public ErasureRequestResponse Erasure { get; private set; } = null!;

    public PreviewResponse? Preview { get; private set; }

    public string? ReceiptJson { get; private set; }

    public JsonElement? ReceiptPayload { get; private set; }

    public ReceiptCheck? ReceiptCheck { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostApproveAsync([FromForm] bool acknowledgeFlags, CancellationToken cancellationToken) =>
        await AfterAsync(await requests.ApproveAsync(Id, acknowledgeFlags, Actor, cancellationToken), "Approved.", cancellationToken);

    public async Task<IActionResult> OnPostCancelAsync([FromForm] string? reason, CancellationToken cancellationToken) =>
        await AfterAsync(await requests.CancelAsync(Id, reason, Actor, cancellationToken), "Request cancelled: nothing was changed.", cancellationToken);

    public async Task<IActionResult> OnPostExtendAsync([FromForm] int months, [FromForm] string? reason, CancellationToken cancellationToken) =>
        await AfterAsync(await requests.ExtendAsync(Id, months, reason, Actor, cancellationToken), "Deadline extended.", cancellationToken);

    public async Task<IActionResult> OnGetReceiptAsync(CancellationToken cancellationToken) =>
        await receipts.GetJsonAsync(Id, cancellationToken) is { } json
            ? File(Encoding.UTF8.GetBytes(json), "application/json", $"erasure-receipt-{Id}.json")
            : NotFound();

    private async Task<IActionResult> AfterAsync(ErasureCommandResult result, string message, CancellationToken cancellationToken)
    {
        if (result.Request is { } request)
        {
            return Done(request.State == "approved" ? "Approved: branch tips are updated first, then historical versions are restricted and erased." : message, null, new { id = Id });
        }
        if (result.NotFound)
        {
            return NotFound();
        }
        await LoadAsync(cancellationToken);
        return Refused(result.Error!, result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await requests.FindAsync(Id, cancellationToken) is not { } request)
        {
            return false;
        }
        Erasure = request;
        Preview = (await previews.GetAsync(Id, Math.Max(0, Offset), PageSize, cancellationToken)).Preview;
        ReceiptJson = await receipts.GetJsonAsync(Id, cancellationToken);
        if (ReceiptJson is not null)
        {
            using var document = JsonDocument.Parse(ReceiptJson);
            ReceiptPayload = document.RootElement.TryGetProperty("payload", out var payload) ? payload.Clone() : null;
            ReceiptCheck = await verifier.CheckAsync(document.RootElement, cancellationToken);
        }
        return true;
    }
}
