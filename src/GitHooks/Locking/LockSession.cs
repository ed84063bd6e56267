using GitHooks.LocalStorage;

namespace GitHooks.Locking;

/// <summary>
/// What the lock commands share: the remote (given, else the current branch's, else origin), its
/// push endpoint (locks live where pushes go, as with git-lfs), the current branch's ref name
/// sent with each request, and paths made relative to the repository root with forward slashes.
/// </summary>
public sealed class LockSession
{
    private LockSession(LfsSession session, string remote, LockClient client, string? refName)
    {
        Session = session;
        Remote = remote;
        Client = client;
        RefName = refName;
    }

    public LfsSession Session { get; }

    public string Remote { get; }

    public LockClient Client { get; }

    public string? RefName { get; }

    public static async Task<LockSession> OpenAsync(LfsSession session, string? remote, CancellationToken cancellationToken)
    {
        remote ??= await session.DefaultRemoteAsync(cancellationToken);
        var endpoint = session.Endpoint(remote, upload: true);
        var head = await session.Git.RunAsync(cancellationToken, "symbolic-ref", "-q", "HEAD");
        return new LockSession(session, remote, new LockClient(session.ApiClient(endpoint), endpoint.Url), head.Succeeded ? head.StdOut.Trim() : null);
    }

    /// <summary>A path given on the command line (relative to <paramref name="workingDirectory"/>) as the server knows it.</summary>
    public string RepositoryPath(string path, string workingDirectory)
    {
        var root = Session.Repository.WorkTree ?? throw new UserException("Locking needs a work tree.");
        var relative = Path.GetRelativePath(root, Path.GetFullPath(path, workingDirectory)).Replace(Path.DirectorySeparatorChar, '/');
        if (relative is "." or ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new UserException($"'{path}' is not a file inside this repository.");
        }
        return relative;
    }
}
