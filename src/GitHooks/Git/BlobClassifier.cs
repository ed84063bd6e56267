using StorageServer.Protocol.Pointers;

namespace GitHooks.Git;

/// <summary>Blobs sorted by what they are: canonical pointers, pointers in another encoding, empty, or data.</summary>
public sealed record BlobClasses(Dictionary<string, LfsPointer> Pointers, Dictionary<string, LfsPointer> NonCanonical, HashSet<string> Empty);

/// <summary>Reads small blobs (size first, so large ones are never read) and parses the pointers among them.</summary>
public sealed class BlobClassifier(GitRunner git)
{
    public async Task<BlobClasses> ClassifyAsync(IEnumerable<string> blobs, CancellationToken cancellationToken)
    {
        var ids = blobs.Distinct(StringComparer.Ordinal).ToList();
        var classes = new BlobClasses(new(StringComparer.Ordinal), new(StringComparer.Ordinal), new(StringComparer.Ordinal));
        if (ids.Count == 0)
        {
            return classes;
        }
        var small = new List<string>();
        var sizes = await git.RunAsync(["cat-file", "--batch-check=%(objectname) %(objectsize)"], string.Concat(ids.Select(i => i + "\n")), cancellationToken);
        foreach (var line in sizes.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2 && long.TryParse(parts[1], out var size))
            {
                if (size == 0)
                {
                    classes.Empty.Add(parts[0]);
                }
                else if (size < LfsPointer.MaxSize)
                {
                    small.Add(parts[0]);
                }
            }
        }
        await foreach (var blob in CatFileBatch.ReadAsync(git, small.ToAsyncEnumerable(), LfsPointer.MaxSize, cancellationToken))
        {
            if (blob.Content is not null && LfsPointer.TryParse(blob.Content, out var pointer))
            {
                (LfsPointer.IsCanonical(blob.Content) ? classes.Pointers : classes.NonCanonical)[blob.Name] = pointer;
            }
        }
        return classes;
    }
}
