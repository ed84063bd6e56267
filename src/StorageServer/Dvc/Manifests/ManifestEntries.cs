using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using static StorageServer.Data.SqlIdentifiers;

namespace StorageServer.Dvc.Manifests;

/// <summary>
/// Records the entries of a manifest about to be stored (<c>dvc_manifest_entries</c>), before its
/// mapping exists, so a manifest is never visible without its entry rows. Rows follow from the
/// bytes alone: a manifest already recorded (another repository uploaded it) is left as it is,
/// and an interrupted recording is completed by the next upload (the insert is idempotent).
/// </summary>
public sealed class ManifestEntries(StorageDbContext db)
{
    private const int RowsPerStatement = 200;

    /// <param name="entryCount">How many entries the manifest has (from <see cref="ManifestCheck"/>).</param>
    public async Task RecordAsync(string manifestOid, string path, int entryCount, CancellationToken cancellationToken)
    {
        if (await db.Set<DvcManifestEntry>().AsNoTracking().CountAsync(e => e.ManifestOid == manifestOid, cancellationToken) == entryCount)
        {
            return;
        }
        await using var file = ManifestCheck.OpenRead(path);
        var batch = new List<DirEntry>(RowsPerStatement);
        await foreach (var entry in ManifestReader.ReadAsync(file, cancellationToken))
        {
            batch.Add(entry);
            if (batch.Count == RowsPerStatement)
            {
                await InsertAsync(manifestOid, batch, cancellationToken);
                batch.Clear();
            }
        }
        await InsertAsync(manifestOid, batch, cancellationToken);
    }

    /// <summary>The entries of a stored manifest, in manifest order.</summary>
    public async Task<List<DirEntry>> ListAsync(string manifestOid, CancellationToken cancellationToken)
    {
        var entries = await db.Set<DvcManifestEntry>().AsNoTracking().Where(e => e.ManifestOid == manifestOid)
            .Select(e => new DirEntry(e.Relpath, e.Md5)).ToListAsync(cancellationToken);
        entries.Sort((a, b) => CodePointOrder.Instance.Compare(a.Relpath, b.Relpath));
        return entries;
    }

    private async Task InsertAsync(string manifestOid, List<DirEntry> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        var entity = db.Model.FindEntityType(typeof(DvcManifestEntry))!;
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName());
        var sql = new System.Text.StringBuilder(
            $"INSERT INTO {Quote(entity.GetTableName()!)} ({Column(nameof(DvcManifestEntry.ManifestOid))}, {Column(nameof(DvcManifestEntry.Relpath))}, {Column(nameof(DvcManifestEntry.Md5))}) VALUES ");
        var parameters = new List<object>(batch.Count * 2 + 1) { manifestOid };
        for (var i = 0; i < batch.Count; i++)
        {
            var p = parameters.Count;
            sql.Append(i == 0 ? "" : ", ").Append($"({{0}}, {{{p}}}, {{{p + 1}}})");
            parameters.Add(batch[i].Relpath);
            parameters.Add(batch[i].Md5);
        }
        sql.Append(" ON CONFLICT DO NOTHING");
        await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }
}
