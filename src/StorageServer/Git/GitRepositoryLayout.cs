using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Git;

/// <summary>Where each repository's bare git directory lives: <c>&lt;repos&gt;/owner/name.git</c>.</summary>
public sealed class GitRepositoryLayout(IOptions<GitOptions> git, IOptions<StorageServerOptions> server)
{
    public string Root { get; } = Path.GetFullPath(git.Value.RepositoriesPath ?? Path.Combine(server.Value.FullDataDir, "repos"));

    /// <summary>The bare repository of a validated <c>owner/name</c>.</summary>
    public string PathOf(string repositoryName)
    {
        var path = Path.GetFullPath(Path.Combine(Root, repositoryName + ".git"));
        // RepoNames already forbids traversal; this guards against a future change there.
        if (!path.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Repository name '{repositoryName}' escapes the repositories folder.", nameof(repositoryName));
        }
        return path;
    }
}
