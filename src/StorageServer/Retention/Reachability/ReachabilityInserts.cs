using StorageServer.Data;

namespace StorageServer.Retention.Reachability;

/// <summary>
/// <c>INSERT … ON CONFLICT DO NOTHING</c> of new reachability rows (a first mark over a large
/// repository adds one per object; EF change tracking made that the mark's main cost), through
/// <see cref="RowInserts"/> (one prepared statement on SQLite, multi-row statements elsewhere, up to
/// a thousand rows per transaction).
/// </summary>
internal static class ReachabilityInserts
{
    private static readonly string[] Columns =
    [
        nameof(Entities.Reachability.RepositoryId), nameof(Entities.Reachability.Oid), nameof(Entities.Reachability.Size),
        nameof(Entities.Reachability.ReferencedByTip), nameof(Entities.Reachability.FirstSeenAt), nameof(Entities.Reachability.UnreferencedSince),
        nameof(Entities.Reachability.LastRef), nameof(Entities.Reachability.LastPath),
    ];

    public static async Task InsertAsync(StorageDbContext db, IReadOnlyList<Entities.Reachability> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await RowInserts.InsertNewAsync(db, typeof(Entities.Reachability), Columns,
            rows.Select(r => new object?[] { r.RepositoryId, r.Oid, r.Size, r.ReferencedByTip, r.FirstSeenAt, r.UnreferencedSince, r.LastRef, r.LastPath }),
            cancellationToken);
    }
}
