using StorageServer.Erasure.Data;
using StorageServer.Erasure.Index;
using StorageServer.Erasure.Scanning;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Receipts;

/// <summary>What the check after an erasure found; part of the receipt.</summary>
/// <param name="Store">The object store's name.</param>
/// <param name="ObjectsChecked">Erased objects looked up in the store.</param>
/// <param name="StoresStillHolding">Of those, how many the store still holds (must be 0).</param>
/// <param name="ContentScanPerformed">False when the request came without identifiers.</param>
/// <param name="ObjectsScanned">Objects the store holds, all streamed through the matcher.</param>
/// <param name="Matches">Stored objects still containing an identifier (must be 0).</param>
public sealed record ErasureVerification(string Store, int ObjectsChecked, int StoresStillHolding, bool ContentScanPerformed, int ObjectsScanned, int Matches)
{
    public bool Passed => StoresStillHolding == 0 && Matches == 0;
}

/// <summary>
/// Proves the erasure: no erased oid left in the store, and no identifier left in anything it still
/// holds, by the same rules that found them (records per field, other files at token boundaries).
/// </summary>
public sealed class ErasureVerifier(IObjectStore store, ContentScanner scanner, RecordFormatIndex formats)
{
    public async Task<ErasureVerification> VerifyAsync(IReadOnlyList<ErasureItem> items, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        var stillHeld = 0;
        foreach (var item in items)
        {
            if (await store.GetInfoAsync(Oid.Parse(item.Oid), cancellationToken) is not null)
            {
                stillHeld++;
            }
        }
        if (secrets is null)
        {
            return new ErasureVerification(store.Name, items.Count, stillHeld, false, 0, 0);
        }
        var (scanned, matches) = await scanner.ScanStoredObjectsAsync(secrets, await formats.LoadAsync(cancellationToken), null, cancellationToken);
        return new ErasureVerification(store.Name, items.Count, stillHeld, true, scanned, matches.Count);
    }
}
