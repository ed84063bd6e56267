namespace StorageServer.Repos;

/// <summary>
/// What never changes about a repository once it exists: its id and its <c>owner/name</c>. Settings
/// (anonymous read) are not part of it; whoever decides on them reads the row.
/// </summary>
public sealed record RepositoryIdentity(long Id, string Name);
