namespace StorageServer.Jobs;

/// <summary>Where a running job reports how far it got; shown by <c>GET /api/jobs/runs/{id}</c>.</summary>
public interface IJobProgress
{
    /// <summary>Records <paramref name="done"/> of <paramref name="total"/> (null: unknown) with an optional message.</summary>
    Task ReportAsync(long done, long? total, string? message, CancellationToken cancellationToken);
}
