using StorageServer.Dvc.Objects;

namespace StorageServer.Dvc.Manifests;

/// <summary>
/// Checks an uploaded directory manifest before it is stored: exactly DVC's format
/// (<see cref="ManifestReader"/>), and every entry already uploaded to this repository and live.
/// DVC uploads a <c>.dir</c> only after all its entries succeeded, so a refusal here means the
/// entries went elsewhere, failed, or were removed since.
/// </summary>
public sealed class ManifestCheck(DvcObjectLookup lookup)
{
    private const int EntriesPerQuery = 500;
    private const int MissingListed = 5;

    public async Task<ManifestVerdict> CheckAsync(string path, long repositoryId, bool legacy, CancellationToken cancellationToken)
    {
        await using var file = OpenRead(path);
        var batch = new List<DirEntry>(EntriesPerQuery);
        var missing = new List<string>();
        var missingCount = 0;
        var entries = 0;
        try
        {
            await foreach (var entry in ManifestReader.ReadAsync(file, cancellationToken))
            {
                batch.Add(entry);
                entries++;
                if (batch.Count == EntriesPerQuery)
                {
                    missingCount += await CountMissingAsync(batch, repositoryId, legacy, missing, cancellationToken);
                    batch.Clear();
                }
            }
            missingCount += await CountMissingAsync(batch, repositoryId, legacy, missing, cancellationToken);
        }
        catch (ManifestFormatException e)
        {
            return new ManifestVerdict(0, e.Message, MissingEntries: false);
        }
        return missingCount == 0
            ? new ManifestVerdict(entries, null, MissingEntries: false)
            : new ManifestVerdict(entries, $"{missingCount} file(s) of this directory are not on the server for this repository, e.g. {string.Join(", ", missing)}; upload them first.", MissingEntries: true);
    }

    internal static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    private async Task<int> CountMissingAsync(List<DirEntry> batch, long repositoryId, bool legacy, List<string> listed, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return 0;
        }
        var live = await lookup.FindLiveFilesAsync(repositoryId, legacy, batch.Select(e => e.Md5).ToList(), cancellationToken);
        var absent = batch.Where(e => !live.ContainsKey(e.Md5)).ToList();
        listed.AddRange(absent.Take(MissingListed - listed.Count).Select(e => $"{e.Relpath} (md5 {e.Md5})"));
        return absent.Count;
    }
}
