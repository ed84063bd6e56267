using StorageServer.Data.Entities;

namespace StorageServer.Git;

/// <summary>
/// What a hook script sent: the repository, its ref updates, git's quarantine variables, and the id of
/// the push (its receive-pack process; empty from a script that does not send it).
/// </summary>
internal sealed record HookRequest(
    Repository Repository, IReadOnlyList<RefUpdate> Updates, string WorkingDirectory,
    string ObjectDirectory, string AlternateObjectDirectories, string QuarantinePath, string PushId = "");
