namespace StorageServer.Data.Entities;

/// <summary>A hosted repository: one bare git repository plus the LFS objects it claims.</summary>
public sealed class Repository
{
    public long Id { get; set; }

    /// <summary><c>owner/name</c>, unique, case-sensitive, as in the URL.</summary>
    public required string Name { get; set; }

    /// <summary>Anyone may clone and download without credentials. Writes always need a token.</summary>
    public bool AllowAnonymousRead { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
