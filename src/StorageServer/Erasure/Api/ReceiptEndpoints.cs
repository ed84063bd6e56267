using System.Buffers;
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

    /// <summary>
    /// The receipt as JSON: the JWS, and its payload embedded byte for byte (the very bytes the
    /// signature covers). A version 1 receipt comes as it was issued: payload and signature.
    /// </summary>
    private static async Task<Results<ContentHttpResult, Ok<object>, NotFound<ApiError>>> GetAsync(
        string id, StorageDbContext db, ReceiptSigner signer, CancellationToken cancellationToken)
    {
        var receipt = await db.Set<ErasureReceipt>().AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == id, cancellationToken);
        if (receipt is null)
        {
            return TypedResults.NotFound(new ApiError($"No receipt for '{id}' (unknown request, or not completed yet)."));
        }
        if (receipt.Jws is null)
        {
            return TypedResults.Ok<object>(new
            {
                version = 1,
                payload = JsonDocument.Parse(receipt.PayloadJson).RootElement,
                signature = receipt.Signature,
                algorithm = ReceiptSigner.LegacyAlgorithm,
                keyId = signer.KeyId,
            });
        }
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", ReceiptIssuer.Version);
            json.WriteString("format", "JWS");
            json.WriteString("algorithm", ReceiptSigner.Algorithm);
            json.WriteString("keyId", signer.KeyId);
            json.WriteString("jws", receipt.Jws);
            json.WritePropertyName("payload");
            json.WriteRawValue(receipt.PayloadJson, skipInputValidation: true);
            json.WriteEndObject();
        }
        return TypedResults.Text(Encoding.UTF8.GetString(buffer.WrittenSpan), "application/json", Encoding.UTF8);
    }

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
