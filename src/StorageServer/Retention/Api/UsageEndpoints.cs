using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Retention.Usage;

namespace StorageServer.Retention.Api;

/// <param name="ReclaimableBytes">Trashed bytes past their restore window: what the next sweep may free.</param>
/// <param name="DvcObjects">Of <paramref name="Objects"/>, those uploaded through the repository's DVC remote (files and manifests); the rest came through Git LFS.</param>
/// <param name="DvcBytes">Their bytes.</param>
public sealed record RepoUsage(
    string Repository, long Objects, long Bytes, long TrashedObjects, long TrashedBytes, long ReclaimableBytes, long DvcObjects = 0, long DvcBytes = 0);

/// <summary>Bytes counts each stored object once, however many repositories claim it; the DVC figures are the live objects some DVC remote names.</summary>
public sealed record StorageUsageResponse(
    IReadOnlyList<RepoUsage> Repositories, long LiveObjects, long LiveBytes, long TrashedObjects, long TrashedBytes, long DeletedObjects,
    long LiveDvcObjects = 0, long LiveDvcBytes = 0);

/// <summary><c>/api/storage/usage</c>: what each repository claims and has in the trash.</summary>
public static class UsageEndpoints
{
    public static void MapStorageUsageEndpoint(this RouteGroupBuilder storage) =>
        storage.MapGet("/usage", async Task<Ok<StorageUsageResponse>> (StorageUsageQuery usage, CancellationToken cancellationToken) =>
            TypedResults.Ok(await usage.GetAsync(cancellationToken)));
}
