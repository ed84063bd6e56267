using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Auth;

/// <summary>
/// Whether the credential a transfer token was issued for still stands: the personal access
/// token is neither revoked nor expired, the admin token is still the configured one, the
/// repository still allows anonymous reads. Answers are cached for at most
/// <see cref="CacheDuration"/> (an upload of many objects asks once, not once per object), and
/// this node forgets its answer at once when the credential is revoked here, so on one node
/// revocation is immediate and on a cluster it takes at most that long.
/// </summary>
public sealed class TransferTokenParents(IServiceScopeFactory scopes, AdminCredential admin, TimeProvider clock)
{
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(3);
    private const int MaxCachedAnswers = 10_000;

    private readonly ConcurrentDictionary<string, (bool Valid, DateTimeOffset Until)> _answers = new(StringComparer.Ordinal);

    public async ValueTask<bool> IsValidAsync(TransferGrant grant, CancellationToken cancellationToken)
    {
        if (CredentialIds.IsAdmin(grant.Parent))
        {
            return grant.Parent == CredentialIds.ForAdmin(admin.Hash);
        }
        if (grant.Parent == CredentialIds.Jwt)
        {
            return true; // A JWT cannot be revoked; its transfer tokens never outlive it (TransferLinks).
        }
        var key = CacheKey(grant.Parent, grant.Repository);
        var now = clock.GetUtcNow();
        if (_answers.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Valid;
        }
        var valid = await LookUpAsync(grant.Parent, grant.Repository, now, cancellationToken);
        if (_answers.Count >= MaxCachedAnswers)
        {
            _answers.Clear();
        }
        _answers[key] = (valid, now + CacheDuration);
        return valid;
    }

    /// <summary>Drops what this node remembers about a credential that just changed here.</summary>
    public void Forget(string credential, string? repository = null) => _answers.TryRemove(CacheKey(credential, repository), out _);

    private static string CacheKey(string credential, string? repository) =>
        credential == CredentialIds.Anonymous ? credential + ":" + repository : credential;

    private async Task<bool> LookUpAsync(string credential, string repository, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        if (credential == CredentialIds.Anonymous)
        {
            return await db.Repositories.AsNoTracking().AnyAsync(r => r.Name == repository && r.AllowAnonymousRead, cancellationToken);
        }
        if (!CredentialIds.TryParseToken(credential, out var id))
        {
            return false;
        }
        var token = await db.AccessTokens.AsNoTracking().Where(t => t.Id == id).Select(t => new { t.RevokedAt, t.ExpiresAt }).SingleOrDefaultAsync(cancellationToken);
        return token is { RevokedAt: null } && (token.ExpiresAt is not { } expires || expires > now);
    }
}
