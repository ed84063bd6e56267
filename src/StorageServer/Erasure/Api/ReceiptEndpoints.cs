using System.Text;
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
    public const string JoseMediaType = "application/jose";

    public static void MapReceipts(this RouteGroupBuilder group)
    {
        group.MapGet("/receipts/{id}", GetAsync);
        group.MapGet("/receipts/{id}/jws", GetJwsAsync);
        group.MapPost("/receipts/verify", VerifyAsync);
    }

    /// <summary>Anyone may fetch the public key to check a receipt's signature offline: PEM (SPKI), or a JWK.</summary>
    public static void MapPublicKey(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/erasure/public-key", (ReceiptSigner signer) => TypedResults.Text(signer.PublicKeyPem, "application/x-pem-file", Encoding.ASCII))
            .AllowAnonymous().WithTags("Erasure");
        routes.MapGet("/api/erasure/public-key.jwk", (ReceiptSigner signer) => TypedResults.Text(signer.PublicKeyJwk, "application/jwk+json", Encoding.UTF8))
            .AllowAnonymous().WithTags("Erasure");
    }

    /// <summary>The receipt as JSON (see <see cref="ReceiptDocuments"/>).</summary>
    private static async Task<Results<ContentHttpResult, NotFound<ApiError>>> GetAsync(string id, ReceiptDocuments receipts, CancellationToken cancellationToken) =>
        await receipts.GetJsonAsync(id, cancellationToken) is { } json
            ? TypedResults.Text(json, "application/json", Encoding.UTF8)
            : TypedResults.NotFound(new ApiError($"No receipt for '{id}' (unknown request, or not completed yet)."));

    /// <summary>The compact JWS alone, for <c>scripts/verify-erasure-receipt.sh</c> or any JOSE library.</summary>
    private static async Task<Results<ContentHttpResult, NotFound<ApiError>>> GetJwsAsync(string id, StorageDbContext db, CancellationToken cancellationToken)
    {
        var jws = await db.Set<ErasureReceipt>().AsNoTracking().Where(r => r.RequestId == id).Select(r => r.Jws).SingleOrDefaultAsync(cancellationToken);
        return jws is null
            ? TypedResults.NotFound(new ApiError($"No JWS receipt for '{id}' (unknown request, not completed yet, or a version 1 receipt: GET /api/erasure/receipts/{id})."))
            : TypedResults.Text(jws, JoseMediaType, Encoding.ASCII);
    }

    private static async Task<Ok<ReceiptCheck>> VerifyAsync(JsonElement body, ReceiptVerifierService receipts, CancellationToken cancellationToken) =>
        TypedResults.Ok(await receipts.CheckAsync(body, cancellationToken));
}
