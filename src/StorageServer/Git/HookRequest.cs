using StorageServer.Data.Entities;

namespace StorageServer.Git;

/// <summary>What a hook script sent: the repository, its ref updates and git's quarantine variables.</summary>
internal sealed record HookRequest(
    Repository Repository, IReadOnlyList<RefUpdate> Updates, string WorkingDirectory,
    string ObjectDirectory, string AlternateObjectDirectories, string QuarantinePath);
