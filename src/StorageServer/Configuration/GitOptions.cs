namespace StorageServer.Configuration;

/// <summary>Git hosting over smart HTTP. Section <c>Git</c>.</summary>
public sealed class GitOptions
{
    public const string Section = "Git";

    /// <summary>Turn off to run a plain Git LFS server next to git hosted elsewhere.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Bare repositories; defaults to <c>&lt;data-dir&gt;/repos</c>.</summary>
    public string? RepositoriesPath { get; set; }

    /// <summary>The git executable; <c>git http-backend</c> and plumbing commands run through it.</summary>
    public string Executable { get; set; } = "git";

    /// <summary>Author and committer of the commits the server makes itself (retention, redaction).</summary>
    public string ServerCommitterName { get; set; } = "StorageServer";

    public string ServerCommitterEmail { get; set; } = "storageserver@localhost";
}
