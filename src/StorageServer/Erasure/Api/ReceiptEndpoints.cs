using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Receipts;

namespace StorageServer.Erasure.Api;

/// <summary><c>/api/erasure/receipts</c> and the public key receipts are signed with.</summary>
internal static class ReceiptEndpoints
{
    public static void MapReceipts(this RouteGroupBuilder group)
    {
        group.MapGet("/receipts/{id}", GetAsync);
        group.MapPost("/receipts/verify", VerifyAsync);
    }

    /// <summary>Anyone may fetch the public key to check a receipt's signature offline.</summary>
    public static void MapPublicKey(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/api/erasure/public-key", (ReceiptSigner signer) =>
            TypedResults.Ok(new PublicKeyResponse(ReceiptSigner.Algorithm, signer.KeyId, signer.PublicKeyPem))).AllowAnonymous().WithTags("Erasure");

    private static async Task<Results<Ok<object>, NotFound<ApiError>>> GetAsync(
        string id, StorageDbContext db, ReceiptVerifierService receipts, CancellationToken cancellationToken)
    {
        var receipt = await db.Set<ErasureReceipt>().AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == id, cancellationToken);
        return receipt is null
            ? TypedResults.NotFound(new ApiError($"No receipt for '{id}' (unknown request, or not completed yet)."))
            : TypedResults.Ok(receipts.Envelope(receipt));
    }

    private static async Task<Ok<ReceiptCheck>> VerifyAsync(JsonElement body, ReceiptVerifierService receipts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receipts.CheckAsync(body, cancellationToken));
}
