using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using StorageServer.Data;

namespace StorageServer.Repos;

/// <summary>
/// Repository ids by name, remembered once found (issue 17: every LFS transfer with a transfer token
/// looked its repository up, a query and a connection open per object). Exact, not a cache with a
/// lifetime: a repository is never deleted or renamed, so a name once found keeps its id on every
/// node. Names not found are not remembered, so a repository created a moment ago is found at once.
/// Anything that one day deletes or renames repositories must forget here (and on every node).
/// </summary>
public sealed class RepositoryIdentities
{
    /// <summary>Bounds memory against a server with very many repositories; the lookup is only a query.</summary>
    internal const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, RepositoryIdentity> _byName = new(StringComparer.Ordinal);

    /// <summary>The repository named <paramref name="name"/>, or null when none exists (yet).</summary>
    public async ValueTask<RepositoryIdentity?> FindAsync(StorageDbContext db, string name, CancellationToken cancellationToken)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }
        var found = await FindByName.For(db)(db, name, cancellationToken);
        if (found is null)
        {
            return null;
        }
        if (_byName.Count >= MaxRemembered)
        {
            _byName.Clear();
        }
        return _byName.GetOrAdd(name, found);
    }

    /// <summary>Compiled once (EF's per-call query setup cost more than the query).</summary>
    private static readonly PerModelCompiledQuery<Func<StorageDbContext, string, CancellationToken, Task<RepositoryIdentity?>>> FindByName = new(() =>
        EF.CompileAsyncQuery((StorageDbContext db, string name, CancellationToken cancellationToken) =>
            db.Repositories.Where(r => r.Name == name).Select(r => new RepositoryIdentity(r.Id, r.Name)).SingleOrDefault()));
}
