using Microsoft.EntityFrameworkCore;
using StorageServer.Audit;
using StorageServer.Data;
using StorageServer.Retention.Api;
using StorageServer.Retention.Entities;

namespace StorageServer.Retention.Policies;

/// <summary>Outcome of a policy command: the policy as shown, or why nothing changed.</summary>
public sealed record PolicyCommandResult(PolicyResponse? Policy, string? Error, bool NotFound = false);

/// <summary>
/// Creates, replaces and deletes retention policies for the admin API and the console; every
/// change is audited with the policy before and after.
/// </summary>
public sealed class RetentionPolicyService(StorageDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<List<PolicyResponse>> ListAsync(CancellationToken cancellationToken)
    {
        var names = await db.Repositories.AsNoTracking().ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        var policies = await db.Set<RetentionPolicy>().AsNoTracking().OrderBy(p => p.Id).ToListAsync(cancellationToken);
        return policies.Select(p => PolicyResponse.From(p, p.RepositoryId is { } id ? names.GetValueOrDefault(id) : null)).ToList();
    }

    public async Task<PolicyResponse?> FindAsync(long id, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        return policy is null ? null : await ResponseAsync(policy, cancellationToken);
    }

    public async Task<PolicyCommandResult> CreateAsync(PolicyRequest request, string actor, CancellationToken cancellationToken)
    {
        var (repositoryId, error) = await ValidateAsync(request, cancellationToken);
        if (error is not null)
        {
            return new PolicyCommandResult(null, error);
        }
        var now = clock.GetUtcNow();
        var policy = new RetentionPolicy { Name = "", UpdatedBy = actor, CreatedAt = now, UpdatedAt = now };
        request.ApplyTo(policy, repositoryId);
        db.Add(policy);
        await db.SaveChangesAsync(cancellationToken);
        var response = await ResponseAsync(policy, cancellationToken);
        await audit.AppendAsync(actor, "retention.policy.create", $"policy:{policy.Id}", new { before = (PolicyResponse?)null, after = response }, cancellationToken);
        return new PolicyCommandResult(response, null);
    }

    public async Task<PolicyCommandResult> ReplaceAsync(long id, PolicyRequest request, string actor, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        var (repositoryId, error) = await ValidateAsync(request, cancellationToken);
        if (error is not null)
        {
            return new PolicyCommandResult(null, error);
        }
        var before = await ResponseAsync(policy, cancellationToken);
        request.ApplyTo(policy, repositoryId);
        policy.Version++;
        policy.UpdatedAt = clock.GetUtcNow();
        policy.UpdatedBy = actor;
        await db.SaveChangesAsync(cancellationToken);
        var after = await ResponseAsync(policy, cancellationToken);
        await audit.AppendAsync(actor, "retention.policy.update", $"policy:{id}", new { before, after }, cancellationToken);
        return new PolicyCommandResult(after, null);
    }

    public async Task<PolicyCommandResult> DeleteAsync(long id, string actor, CancellationToken cancellationToken)
    {
        var policy = await db.Set<RetentionPolicy>().SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
        if (policy is null)
        {
            return NotFound(id);
        }
        var before = await ResponseAsync(policy, cancellationToken);
        db.Remove(policy);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(actor, "retention.policy.delete", $"policy:{id}", new { before, after = (PolicyResponse?)null }, cancellationToken);
        return new PolicyCommandResult(before, null);
    }

    private async Task<(long? RepositoryId, string? Error)> ValidateAsync(PolicyRequest request, CancellationToken cancellationToken)
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

    private async Task<PolicyResponse> ResponseAsync(RetentionPolicy policy, CancellationToken cancellationToken)
    {
        var repository = policy.RepositoryId is { } id ? await db.Repositories.AsNoTracking().Where(r => r.Id == id).Select(r => r.Name).SingleOrDefaultAsync(cancellationToken) : null;
        return PolicyResponse.From(policy, repository);
    }

    private static PolicyCommandResult NotFound(long id) => new(null, $"Retention policy {id} not found.", NotFound: true);
}
