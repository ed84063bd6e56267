using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StorageServer.Data;
using StorageServer.Erasure.Data;
using StorageServer.Erasure.Matching;
using StorageServer.Erasure.Requests;
using StorageServer.Erasure.Scanning;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Erasure.Redaction;

/// <summary>
/// A branch tip may hold, at a path of this request, the redacted successor another request
/// committed after this one was planned (a version derived from one of this request's objects). It
/// holds this subject's data as much as its original did, so it joins this request: erased whole
/// when the original is, or redacted again (its records matched with this request's identifiers).
/// </summary>
public sealed class InheritedSuccessors(StorageDbContext db, IObjectStore store, SubjectHasher hasher, IOptions<ErasureOptions> options)
{
    private const int MaxChain = 16;

    /// <summary>The new item for <paramref name="oid"/>, or null when it is not derived from this request's objects or holds none of the subject's records.</summary>
    public async Task<ErasureItem?> AdoptAsync(
        ErasureRequest request, string oid, string path, IReadOnlyDictionary<string, ErasureItem> items, ScanSecrets? secrets, CancellationToken cancellationToken)
    {
        var original = await OriginalInAsync(request.Id, oid, items, cancellationToken);
        if (original is null)
        {
            return null;
        }
        var item = new ErasureItem { RequestId = request.Id, Oid = oid, Source = original.Source, Action = ErasureAction.Erase };
        if (original.Action == ErasureAction.Redact)
        {
            if (secrets is null || RecordFormats.FromPath(path) is not { } format)
            {
                return null;
            }
            RecordScan records;
            await using (var content = await store.OpenReadAsync(Oid.Parse(oid), 0, cancellationToken))
            {
                if (content is null)
                {
                    return null;
                }
                records = await RecordScanner.ScanAsync(content, format, IdentifierMatcher.FromPatterns(secrets.Patterns, secrets.CaseInsensitive), hasher.Record, cancellationToken);
            }
            if (records.Matches.Count == 0 || records.Malformed)
            {
                return null;
            }
            ErasurePlanner.Redact(item, records, options.Value.FlagRecordShare);
        }
        db.Set<ErasureItem>().Add(item);
        request.ItemsTotal++;
        await db.SaveChangesAsync(cancellationToken);
        return item;
    }

    /// <summary>Follows the successor chain back (successor → the object it was written from) to one of <paramref name="items"/>.</summary>
    /// <remarks>Successors this request wrote itself are not followed: they are what it leaves behind.</remarks>
    private async Task<ErasureItem?> OriginalInAsync(string requestId, string oid, IReadOnlyDictionary<string, ErasureItem> items, CancellationToken cancellationToken)
    {
        var current = oid;
        for (var step = 0; step < MaxChain; step++)
        {
            var parent = await db.Set<ErasureItem>().AsNoTracking().Where(i => i.SuccessorOid == current && i.RequestId != requestId).Select(i => i.Oid).FirstOrDefaultAsync(cancellationToken);
            if (parent is null)
            {
                return null;
            }
            if (items.TryGetValue(parent, out var item))
            {
                return item;
            }
            current = parent;
        }
        return null;
    }
}
