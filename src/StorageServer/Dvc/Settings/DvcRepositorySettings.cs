namespace StorageServer.Dvc.Settings;

/// <summary>A repository's DVC settings; a repository without a row has the defaults.</summary>
public sealed class DvcRepositorySettings
{
    public long Id { get; set; }

    public long RepositoryId { get; set; }

    public DvcPushCheckMode PushCheck { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}
