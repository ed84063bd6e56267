using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Matching;

namespace StorageServer.Erasure.Index;

/// <summary>
/// Which objects are record files: those the pointer index saw only at paths of one record format
/// (<c>.csv</c>, <c>.tsv</c>, <c>.jsonl</c>/<c>.ndjson</c>). An object seen at any other path, or at
/// paths of two formats, is matched as bytes and, holding an identifier, erased whole.
/// </summary>
public sealed class RecordFormatIndex(StorageDbContext db)
{
    public async Task<Dictionary<string, RecordFormat>> LoadAsync(CancellationToken cancellationToken)
    {
        var formats = new Dictionary<string, RecordFormat?>(StringComparer.Ordinal);
        await foreach (var pointer in db.PointerRefs.AsNoTracking().Select(p => new { p.Oid, p.Path }).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var format = RecordFormats.FromPath(pointer.Path);
            formats[pointer.Oid] = formats.TryGetValue(pointer.Oid, out var seen) && seen != format ? null : format;
        }
        return formats.Where(f => f.Value is not null).ToDictionary(f => f.Key, f => f.Value!.Value, StringComparer.Ordinal);
    }
}
