using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Api;

/// <summary><c>/api/retention/policies</c>: create, list, read, replace and delete policies; every change audited with before and after.</summary>
public static class PolicyEndpoints
{
    public static void MapRetentionPolicyEndpoints(this RouteGroupBuilder retention)
    {
        var group = retention.MapGroup("/policies");
        group.MapGet("/", ListAsync);
        group.MapPost("/", CreateAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapPut("/{id:long}", ReplaceAsync);
        group.MapDelete("/{id:long}", DeleteAsync);
    }

    private static async Task<Ok<List<PolicyResponse>>> ListAsync(StorageDbContext db, CancellationToken cancellationToken)
    {
        var names = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        var policies = await db.Set<RetentionPolicy>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return TypedResults.Ok(policies.Select(p => PolicyResponse.From(p, p.RepositoryId is { } id ? names.GetValueOrDefault(id) : null)).ToList());
    }

    private static async Task<Results<Ok<PolicyResponse>, NotFound<ApiError>>> GetAsync(long id, StorageDbContext db, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return policy is null ? NotFound(id) : TypedResults.Ok(await ResponseAsync(db, policy, cancellationToken));
    }

    private static async Task<Results<Created<PolicyResponse>, BadRequest<ApiError>>> CreateAsync(
        PolicyRequest request, StorageDbContext db, AuditLog audit, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var (repositoryId, error) = await ValidateAsync(request, db, cancellationToken);
        if (error is not null)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var now = clock.GetUtcNow();
        var policy = new RetentionPolicy { Name = "", UpdatedBy = context.User.UserName(), CreatedAt = now, UpdatedAt = now };
        request.ApplyTo(policy, repositoryId);
        db.Add(policy);
        await db.SaveChangesAsync(cancellationToken);
        var response = await ResponseAsync(db, policy, cancellationToken);
        await audit.AppendAsync(context.User.UserName(), "retention.policy.create", $"policy:{policy.Id}", new { before = (PolicyResponse?)null, after = response }, cancellationToken);
        return TypedResults.Created($"/api/retention/policies/{policy.Id}", response);
    }

    private static async Task<Results<Ok<PolicyResponse>, BadRequest<ApiError>, NotFound<ApiError>>> ReplaceAsync(
        long id, PolicyRequest request, StorageDbContext db, AuditLog audit, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        var (repositoryId, error) = await ValidateAsync(request, db, cancellationToken);
        if (error is not null)
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var before = await ResponseAsync(db, policy, cancellationToken);
        request.ApplyTo(policy, repositoryId);
        policy.Version++;
        policy.UpdatedAt = clock.GetUtcNow();
        policy.UpdatedBy = context.User.UserName();
        await db.SaveChangesAsync(cancellationToken);
        var after = await ResponseAsync(db, policy, cancellationToken);
        await audit.AppendAsync(context.User.UserName(), "retention.policy.update", $"policy:{id}", new { before, after }, cancellationToken);
        return TypedResults.Ok(after);
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> DeleteAsync(
        long id, StorageDbContext db, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        var before = await ResponseAsync(db, policy, cancellationToken);
        db.Remove(policy);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(context.User.UserName(), "retention.policy.delete", $"policy:{id}", new { before, after = (PolicyResponse?)null }, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<(long? RepositoryId, string? Error)> ValidateAsync(PolicyRequest request, StorageDbContext db, CancellationToken cancellationToken)
    {
        if (request.Validate() is { } error)
        {
            return (null, error);
        }
        if (request.Repository is null)
        {
            return (null, null);
        }
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == request.Repository, cancellationToken);
        return repository is null ? (null, $"Repository '{request.Repository}' not found.") : (repository.Id, null);
    }

    private static async Task<PolicyResponse> ResponseAsync(StorageDbContext db, RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var repository = policy.RepositoryId is { } id ? await db.Repositories.AsNoTracking().Where(r => r.Id == id).Select(r => r.Name).SingleOrDefaultAsync(cancellationToken) : null;
        return PolicyResponse.From(policy, repository);
    }

    private static NotFound<ApiError> NotFound(long id) => TypedResults.NotFound(new ApiError($"Retention policy {id} not found."));
}
