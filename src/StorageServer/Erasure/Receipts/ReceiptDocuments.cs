using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Receipts;

/// <summary>
/// A completed request's receipt as the API serves it and the console shows and downloads it: the
/// JWS with its payload embedded byte for byte (the very bytes the signature covers), or a version 1
/// receipt as it was issued (payload and signature).
/// </summary>
public sealed class ReceiptDocuments(StorageDbContext db, ReceiptSigner signer)
{
    /// <summary>The receipt's JSON, or null when the request has none (unknown, or not completed yet).</summary>
    public async Task<string?> GetJsonAsync(string requestId, CancellationToken cancellationToken)
    {
        var receipt = await db.Set<ErasureReceipt>().AsNoTracking().SingleOrDefaultAsync(r => r.RequestId == requestId, cancellationToken);
        if (receipt is null)
        {
            return null;
        }
        if (receipt.Jws is null)
        {
            using var payload = JsonDocument.Parse(receipt.PayloadJson);
            return JsonSerializer.Serialize(new
            {
                version = 1,
                payload = payload.RootElement,
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
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
