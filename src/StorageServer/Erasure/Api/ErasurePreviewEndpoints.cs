using Microsoft.AspNetCore.Http.HttpResults;
using StorageServer.Admin;
using StorageServer.Erasure.Preview;

namespace StorageServer.Erasure.Api;

/// <summary><c>GET /api/erasure/requests/{id}/preview</c>: the reviewed preview, objects paged.</summary>
internal static class ErasurePreviewEndpoints
{
    public static void MapErasurePreview(this RouteGroupBuilder group) => group.MapGet("/requests/{id}/preview", GetAsync);

    private static async Task<Results<Ok<PreviewResponse>, NotFound<ApiError>, BadRequest<ApiError>, Conflict<ApiError>>> GetAsync(
        string id, ErasurePreviewQuery previews, CancellationToken cancellationToken, int offset = 0, int limit = 100)
    {
        if (offset < 0 || limit is < 1 or > ErasurePreviewQuery.MaxLimit)
        {
            return TypedResults.BadRequest(new ApiError($"offset must be 0 or more and limit 1 to {ErasurePreviewQuery.MaxLimit}."));
        }
        var result = await previews.GetAsync(id, offset, limit, cancellationToken);
        if (result.Preview is { } preview)
        {
            return TypedResults.Ok(preview);
        }
        return result.NotFound ? TypedResults.NotFound(new ApiError(result.Error!)) : TypedResults.Conflict(new ApiError(result.Error!));
    }
}
