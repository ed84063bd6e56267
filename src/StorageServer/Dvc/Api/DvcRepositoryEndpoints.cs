using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Objects;
using StorageServer.Dvc.Settings;

namespace StorageServer.Dvc.Api;

/// <summary>
/// <c>/api/repos/{owner}/{name}/dvc</c> (admin): a repository's DVC remote URL, push check and
/// what it stores; <c>…/dvc/objects</c> lists its DVC objects with the SHA-256 each is stored
/// under (what holds, tags and the trash name), filtered by DVC oid.
/// </summary>
public static class DvcRepositoryEndpoints
{
    public static void MapDvcRepositoryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/repos/{owner}/{name}/dvc").RequireServerAdmin().WithTags("DVC");
        group.MapGet("/", GetAsync);
        group.MapPut("/", UpdateAsync);
        group.MapGet("/objects", ObjectsAsync);
    }

    private static async Task<Results<Ok<DvcRepositoryResponse>, NotFound<ApiError>>> GetAsync(
        string owner, string name, StorageDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var repository = await FindAsync(db, owner, name, cancellationToken);
        return repository is null ? NotFound(owner, name) : TypedResults.Ok(await ResponseAsync(db, repository, context.Request, cancellationToken));
    }

    private static async Task<Results<Ok<DvcRepositoryResponse>, NotFound<ApiError>, BadRequest<ApiError>>> UpdateAsync(
        string owner, string name, UpdateDvcSettingsRequest request, StorageDbContext db, AuditLog audit, TimeProvider clock, HttpContext context,
        CancellationToken cancellationToken)
    {
        var repository = await FindAsync(db, owner, name, cancellationToken);
        if (repository is null)
        {
            return NotFound(owner, name);
        }
        if (!Enum.TryParse<DvcPushCheckMode>(request.PushCheck, ignoreCase: true, out var mode) || !Enum.IsDefined(mode) || int.TryParse(request.PushCheck, out _))
        {
            return TypedResults.BadRequest(new ApiError("pushCheck must be \"enforce\" or \"warn\"."));
        }
        var settings = await db.Set<DvcRepositorySettings>().SingleOrDefaultAsync(s => s.RepositoryId == repository.Id, cancellationToken);
        var before = settings?.PushCheck ?? DvcPushCheckMode.Enforce;
        if (settings is null)
        {
            db.Add(settings = new DvcRepositorySettings { RepositoryId = repository.Id, UpdatedBy = context.User.UserName() });
        }
        (settings.PushCheck, settings.UpdatedAt, settings.UpdatedBy) = (mode, clock.GetUtcNow(), context.User.UserName());
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(context.User.UserName(), "dvc.settings", repository.Name,
            new { before = new { pushCheck = Name(before) }, after = new { pushCheck = Name(mode) } }, cancellationToken);
        return TypedResults.Ok(await ResponseAsync(db, repository, context.Request, cancellationToken));
    }

    private static async Task<Results<Ok<List<DvcObjectResponse>>, NotFound<ApiError>>> ObjectsAsync(
        string owner, string name, StorageDbContext db, CancellationToken cancellationToken, string? hash = null, int limit = 100, int offset = 0)
    {
        var repository = await FindAsync(db, owner, name, cancellationToken);
        if (repository is null)
        {
            return NotFound(owner, name);
        }
        var query = from mapping in db.Set<DvcObject>()
                    join stored in db.Objects on mapping.Oid equals stored.Oid
                    where mapping.RepositoryId == repository.Id && (hash == null || mapping.Hash == hash)
                    orderby mapping.Hash, mapping.Legacy
                    select new { mapping.Hash, mapping.Legacy, mapping.Oid, stored.Size, stored.State, mapping.UploadedAt, mapping.UploadedBy };
        var rows = await query.AsNoTracking().Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 1, 1000)).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new DvcObjectResponse(r.Hash, r.Legacy, r.Oid, r.Size, r.State.ToString().ToLowerInvariant(), r.UploadedAt, r.UploadedBy)).ToList());
    }

    private static async Task<DvcRepositoryResponse> ResponseAsync(StorageDbContext db, Repository repository, HttpRequest request, CancellationToken cancellationToken)
    {
        var mode = await db.Set<DvcRepositorySettings>().AsNoTracking().Where(s => s.RepositoryId == repository.Id)
            .Select(s => (DvcPushCheckMode?)s.PushCheck).SingleOrDefaultAsync(cancellationToken) ?? DvcPushCheckMode.Enforce;
        var live = await (
                from mapping in db.Set<DvcObject>()
                join stored in db.Objects on mapping.Oid equals stored.Oid
                where mapping.RepositoryId == repository.Id && stored.State == ObjectState.Live
                select new { mapping.Hash, stored.Size })
            .AsNoTracking().ToListAsync(cancellationToken);
        return new DvcRepositoryResponse(repository.Name, $"{request.Scheme}://{request.Host}/{repository.Name}.git/info/dvc", Name(mode),
            live.Count, live.Sum(l => l.Size), live.Count(l => l.Hash.EndsWith(DvcHash.ManifestSuffix, StringComparison.Ordinal)));
    }

    private static Task<Repository?> FindAsync(StorageDbContext db, string owner, string name, CancellationToken cancellationToken)
    {
        var fullName = $"{owner}/{name}";
        return db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == fullName, cancellationToken);
    }

    private static NotFound<ApiError> NotFound(string owner, string name) => TypedResults.NotFound(new ApiError($"Repository '{owner}/{name}' not found."));

    private static string Name(DvcPushCheckMode mode) => mode.ToString().ToLowerInvariant();
}
