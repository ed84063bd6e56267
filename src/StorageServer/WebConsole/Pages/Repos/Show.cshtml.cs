using Microsoft.AspNetCore.Mvc;
using StorageServer.Admin;
using StorageServer.Auth;
using StorageServer.Data.Entities;
using StorageServer.Locks;
using StorageServer.Repos;

namespace StorageServer.WebConsole.Pages.Repos;

/// <summary>One repository: its settings, its LFS objects, its locks (force-unlock) and the tokens that reach it.</summary>
internal sealed class ShowModel(RepositoryService repositories, RepositoryObjects objects, LockService locks, AccessTokenService tokens, TimeProvider clock)
    : ConsolePage(clock)
{
    public const int PageSize = 50;

    [FromRoute]
    public string Owner { get; set; } = "";

    [FromRoute]
    public string Name { get; set; } = "";

    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public Repository Repository { get; private set; } = null!;

    public RepoResponse Urls { get; private set; } = null!;

    public IReadOnlyList<RepositoryObject> Objects { get; private set; } = [];

    public int ObjectCount { get; private set; }

    public IReadOnlyList<FileLock> Locks { get; private set; } = [];

    public bool MoreLocks { get; private set; }

    public IReadOnlyList<TokenResponse> Tokens { get; private set; } = [];

    private string FullName => $"{Owner}/{Name}";

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAnonymousReadAsync([FromForm] bool allow, CancellationToken cancellationToken)
    {
        var result = await repositories.SetAnonymousReadAsync(FullName, allow, Actor, cancellationToken);
        return result.Repository is null
            ? NotFound()
            : Done(allow ? $"{FullName} can now be cloned without credentials." : $"{FullName} now needs a token to read.", null, new { Owner, Name });
    }

    /// <summary>The LFS locking API's own force unlock (admin), audited as <c>lock.force-unlock</c>.</summary>
    public async Task<IActionResult> OnPostForceUnlockAsync([FromForm] string? lockId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var outcome = await locks.UnlockAsync(Repository, lockId ?? "", Actor, AccessLevel.Admin, force: true, cancellationToken);
        return outcome.Status == UnlockStatus.Unlocked
            ? Done($"Lock on {outcome.Lock!.Path} (held by {outcome.Lock.Owner}) released.", null, new { Owner, Name })
            : Refused($"Lock {lockId} is not held any more.", StatusCodes.Status404NotFound);
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        if (await repositories.FindAsync(FullName, cancellationToken) is not { } repository)
        {
            return false;
        }
        Repository = repository;
        Urls = RepoEndpoints.ToResponse(repository, Request);
        (var page, ObjectCount) = await objects.PageAsync(repository.Id, Math.Max(1, PageNumber), PageSize, cancellationToken);
        Objects = page;
        var lockPage = await locks.ListAsync(repository.Id, null, null, new LockPageRequest(null, LockPageRequest.MaxLimit), cancellationToken);
        (Locks, MoreLocks) = (lockPage.Locks, lockPage.Next is not null);
        Tokens = (await tokens.ListAsync(cancellationToken))
            .Where(t => t.RevokedAt is null && (t.Scopes.ContainsKey(FullName) || t.Scopes.ContainsKey(RepoScopes.AllRepos))).ToList();
        return true;
    }
}
