using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using StorageServer.Admin;
using StorageServer.Audit;
using StorageServer.Auth;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Api;

/// <summary><c>/api/erasure/path-rules</c>: per repository, where a subject's own files live.</summary>
internal static class PathRuleEndpoints
{
    public static void MapPathRules(this RouteGroupBuilder group)
    {
        group.MapPost("/path-rules", CreateAsync);
        group.MapGet("/path-rules", ListAsync);
        group.MapDelete("/path-rules/{id:long}", DeleteAsync);
    }

    private static async Task<Results<Created<PathRuleResponse>, BadRequest<ApiError>, NotFound<ApiError>, Conflict<ApiError>>> CreateAsync(
        CreatePathRuleRequest body, StorageDbContext db, AuditLog audit, TimeProvider clock, HttpContext context, CancellationToken cancellationToken)
    {
        if (!SubjectPathPattern.TryParse(body.Pattern, out _, out var error))
        {
            return TypedResults.BadRequest(new ApiError(error));
        }
        var repository = await db.Repositories.AsNoTracking().SingleOrDefaultAsync(r => r.Name == body.Repository, cancellationToken);
        if (repository is null)
        {
            return TypedResults.NotFound(new ApiError($"Repository '{body.Repository}' not found."));
        }
        if (await db.Set<SubjectPathRule>().AnyAsync(r => r.RepositoryId == repository.Id && r.Pattern == body.Pattern, cancellationToken))
        {
            return TypedResults.Conflict(new ApiError("This repository already has that rule."));
        }
        var rule = new SubjectPathRule { RepositoryId = repository.Id, Pattern = body.Pattern!, CreatedBy = context.User.UserName(), CreatedAt = clock.GetUtcNow() };
        db.Set<SubjectPathRule>().Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(rule.CreatedBy, "erasure.path_rule.create", repository.Name, new { rule.Id, rule.Pattern }, cancellationToken);
        return TypedResults.Created($"/api/erasure/path-rules/{rule.Id}", new PathRuleResponse(rule.Id, repository.Name, rule.Pattern, rule.CreatedBy, rule.CreatedAt));
    }

    private static async Task<Ok<List<PathRuleResponse>>> ListAsync(StorageDbContext db, CancellationToken cancellationToken, string? repository = null)
    {
        var rules = await (
                from rule in db.Set<SubjectPathRule>()
                join repo in db.Repositories on rule.RepositoryId equals repo.Id
                where repository == null || repo.Name == repository
                orderby repo.Name, rule.Id
                select new PathRuleResponse(rule.Id, repo.Name, rule.Pattern, rule.CreatedBy, rule.CreatedAt))
            .AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(rules);
    }

    private static async Task<Results<NoContent, NotFound<ApiError>>> DeleteAsync(
        long id, StorageDbContext db, AuditLog audit, HttpContext context, CancellationToken cancellationToken)
    {
        var rule = await db.Set<SubjectPathRule>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return TypedResults.NotFound(new ApiError($"Path rule {id} not found."));
        }
        db.Remove(rule);
        await audit.AppendAsync(context.User.UserName(), "erasure.path_rule.delete", id.ToString(System.Globalization.CultureInfo.InvariantCulture), new { rule.Pattern }, cancellationToken);
        return TypedResults.NoContent();
    }
}
