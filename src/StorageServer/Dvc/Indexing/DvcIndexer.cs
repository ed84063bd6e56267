using System.Text;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Tracking;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// Puts DVC outputs into the pointer index like LFS pointers: each output a commit introduced is
/// recorded in <c>dvc_outputs</c>, and every file it resolves to (a directory through its
/// manifest, the manifest itself at the directory's path) becomes a <c>pointer_refs</c> row with
/// the object's SHA-256, so retention, holds and erasure see DVC data as they see LFS data.
/// Outputs whose data arrives after the push get their rows when it is uploaded.
/// </summary>
public sealed class DvcIndexer(StorageDbContext db, DvcPointerResolver resolver, TimeProvider clock)
{
    /// <summary>Records <paramref name="outputs"/> and the pointer rows of those already uploaded; returns how many pointer rows were new.</summary>
    public async Task<int> IndexAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, PointerIndexer pointers, CancellationToken cancellationToken)
    {
        if (outputs.Count == 0)
        {
            return 0;
        }
        await RecordOutputsAsync(repositoryId, outputs, cancellationToken);
        return await pointers.AddAsync(repositoryId, await EntriesAsync(repositoryId, outputs, cancellationToken), cancellationToken);
    }

    /// <summary>After an upload: the pointer rows of every indexed output naming <paramref name="hash"/> in this repository.</summary>
    public async Task<int> IndexUploadedAsync(long repositoryId, DvcHash hash, PointerIndexer pointers, CancellationToken cancellationToken)
    {
        var rows = await db.Set<DvcOutputRef>().AsNoTracking()
            .Where(o => o.RepositoryId == repositoryId && o.Legacy == hash.Legacy && o.Hash == hash.Value)
            .ToListAsync(cancellationToken);
        var outputs = rows.Select(r => new DvcOutputEntry(r.CommitSha, new DvcOutput(r.Path, hash, null, null, r.MetadataPath, null, 0))).ToList();
        return outputs.Count == 0 ? 0 : await pointers.AddAsync(repositoryId, await EntriesAsync(repositoryId, outputs, cancellationToken), cancellationToken);
    }

    private async Task<List<PointerEntry>> EntriesAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, CancellationToken cancellationToken)
    {
        var resolved = (await resolver.ResolveAsync(repositoryId, outputs.Select(o => o.Output).Distinct().ToList(), cancellationToken)).ToLookup(p => p.Output);
        return outputs.SelectMany(o => resolved[o.Output].Select(p => new PointerEntry(o.Commit, p.Path, new LfsPointer(Oid.Parse(p.Oid), p.Size)))).ToList();
    }

    private async Task RecordOutputsAsync(long repositoryId, IReadOnlyList<DvcOutputEntry> outputs, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(DvcOutputRef))!;
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName());
        var indexedAtProperty = entity.FindProperty(nameof(DvcOutputRef.IndexedAt))!;
        var now = clock.GetUtcNow();
        var indexedAt = indexedAtProperty.GetTypeMapping().Converter?.ConvertToProvider(now) ?? now;
        var prefix = $"INSERT INTO {Quote(entity.GetTableName()!)} ({Column(nameof(DvcOutputRef.RepositoryId))}, {Column(nameof(DvcOutputRef.CommitSha))}, " +
            $"{Column(nameof(DvcOutputRef.Path))}, {Column(nameof(DvcOutputRef.Legacy))}, {Column(nameof(DvcOutputRef.Hash))}, " +
            $"{Column(nameof(DvcOutputRef.MetadataPath))}, {Column(nameof(DvcOutputRef.IndexedAt))}) VALUES ";
        await GroupedStatements.ExecuteAsync(db, outputs.DistinctBy(o => (o.Commit, o.Output.Path)), 5, (chunk, token) =>
        {
            var sql = new StringBuilder(prefix);
            var parameters = new List<object>(chunk.Length * 5 + 2) { repositoryId, indexedAt };
            for (var i = 0; i < chunk.Length; i++)
            {
                var p = parameters.Count;
                sql.Append(i == 0 ? "" : ", ").Append($"({{0}}, {{{p}}}, {{{p + 1}}}, {{{p + 2}}}, {{{p + 3}}}, {{{p + 4}}}, {{1}})");
                parameters.Add(chunk[i].Commit);
                parameters.Add(chunk[i].Output.Path);
                parameters.Add(chunk[i].Output.Hash.Legacy);
                parameters.Add(chunk[i].Output.Hash.Value);
                parameters.Add(chunk[i].Output.MetadataPath);
            }
            sql.Append(" ON CONFLICT DO NOTHING");
            return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, token);
        }, cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
