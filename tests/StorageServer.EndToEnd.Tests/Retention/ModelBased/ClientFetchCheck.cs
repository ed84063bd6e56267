namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// The real client's view of one repository: fetch every ref, then <c>git lfs fetch</c> the large
/// files at the tips the oracle keeps (from an empty local store, so each one really comes from the
/// server, hash-checked by git-lfs) and <c>git lfs fsck --objects</c> each of those tips. (Not
/// <c>--pointers</c>: the scenarios commit non-canonical pointers, and non-pointers at *.bin paths,
/// on purpose; fsck would report those, not anything the server did.)
/// </summary>
public sealed class ClientFetchCheck
{
    private readonly GitSandbox _git;
    private readonly string _path;

    public ClientFetchCheck(GitSandbox git, string path, string remoteUrl)
    {
        _git = git;
        _path = path;
        git.Run(git.Root, "init", "-q", path);
        git.Run(path, "remote", "add", "origin", remoteUrl);
        git.Run(path, "config", "lfs.locksverify", "false");
    }

    /// <summary>Null when every ref fetched and checked clean; otherwise what git-lfs said.</summary>
    public string? Check(IReadOnlyCollection<PeeledRef> refs)
    {
        var fetch = _git.TryRun(_path, "fetch", "--quiet", "--prune", "--no-tags", "origin", "+refs/*:refs/remotes/all/*");
        if (!fetch.Succeeded)
        {
            return $"git fetch: {fetch.Error}";
        }
        if (refs.Count == 0)
        {
            return null;
        }
        var store = Path.Combine(_path, ".git", "lfs", "objects");
        if (Directory.Exists(store))
        {
            Directory.Delete(store, recursive: true);
        }
        var local = refs.Select(r => "refs/remotes/all/" + r.Name["refs/".Length..]).ToList();
        var lfsFetch = _git.TryRun(_path, ["lfs", "fetch", "origin", .. local]);
        if (!lfsFetch.Succeeded)
        {
            return $"git lfs fetch origin {string.Join(' ', refs.Select(r => r.Name))}: {lfsFetch.Error}{lfsFetch.Output}";
        }
        foreach (var group in refs.Zip(local).GroupBy(r => r.First.Sha))
        {
            var fsck = _git.TryRun(_path, "lfs", "fsck", "--objects", group.First().Second);
            if (!fsck.Succeeded)
            {
                return $"git lfs fsck {group.First().First.Name}: {fsck.Output}{fsck.Error}";
            }
        }
        return null;
    }
}
