using System.Text;

namespace StorageServer.Git.Refs;

/// <summary>
/// Lists a bare repository's refs (<c>for-each-ref</c>: every ref under <c>refs/</c>; HEAD is not a
/// ref of its own) and peels each one fully with <c>cat-file --batch-check</c> on <c>&lt;object&gt;^{}</c>:
/// a tag of a tag of a commit ends at the commit, a tag of a tree or blob at that tree or blob.
/// The one ref reader of everything that decides what a ref keeps: the mark, the refresh after a
/// push and the sweep's last-moment check. A ref that cannot be peeled fails the read rather than
/// being skipped (a skipped ref would protect nothing).
/// </summary>
public sealed class RefReader(GitProcess git)
{
    /// <summary>The refs as stored (name and object, tags not peeled), in ref name order: cheap, and enough to tell whether anything moved.</summary>
    public async Task<IReadOnlyList<(string Name, string Object, string Type)>> ListAsync(string gitDir, CancellationToken cancellationToken)
    {
        var result = (await git.RunAsync(gitDir, ["for-each-ref", "--format=%(objectname) %(objecttype) %(refname)"], cancellationToken)).EnsureSuccess("for-each-ref");
        var refs = new List<(string, string, string)>();
        foreach (var line in result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length != 3)
            {
                throw new InvalidOperationException($"Unexpected for-each-ref line '{line}'.");
            }
            refs.Add((parts[2], parts[0], parts[1]));
        }
        return refs;
    }

    /// <summary>Every ref, peeled fully.</summary>
    public async Task<IReadOnlyList<GitRef>> ReadAsync(string gitDir, CancellationToken cancellationToken)
    {
        var listed = await ListAsync(gitDir, cancellationToken);
        var tags = listed.Where(r => r.Type == "tag").Select(r => r.Object).Distinct(StringComparer.Ordinal).ToList();
        var peeled = tags.Count == 0 ? [] : await PeelAsync(gitDir, tags, cancellationToken);
        var refs = new List<GitRef>(listed.Count);
        foreach (var (name, obj, type) in listed)
        {
            var (target, targetType) = type == "tag"
                ? peeled.GetValueOrDefault(obj)
                : (obj, type);
            refs.Add(new GitRef(name, obj, target ?? obj, Kind(name, targetType)));
        }
        return refs;
    }

    /// <summary>Object and type at the end of each tag chain.</summary>
    private async Task<Dictionary<string, (string, string)>> PeelAsync(string gitDir, List<string> tags, CancellationToken cancellationToken)
    {
        var input = new StringBuilder();
        foreach (var tag in tags)
        {
            input.Append(tag).Append("^{}\n");
        }
        var result = (await git.RunAsync(gitDir, ["cat-file", "--batch-check=%(objectname) %(objecttype)"], cancellationToken, input.ToString()))
            .EnsureSuccess("cat-file --batch-check");
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != tags.Count)
        {
            throw new InvalidOperationException($"git cat-file peeled {lines.Length} of {tags.Count} tags.");
        }
        var peeled = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        for (var i = 0; i < tags.Count; i++)
        {
            var parts = lines[i].Split(' ');
            peeled[tags[i]] = parts.Length == 2 ? (parts[0], parts[1]) : (tags[i], "missing");
        }
        return peeled;
    }

    private static PeeledKind Kind(string name, string? type) => type switch
    {
        "commit" => PeeledKind.Commit,
        "tree" => PeeledKind.Tree,
        "blob" => PeeledKind.Blob,
        _ => throw new InvalidOperationException($"Ref {name} does not peel to a commit, tree or blob ({type ?? "missing"}); nothing is decided from an unreadable ref."),
    };
}
