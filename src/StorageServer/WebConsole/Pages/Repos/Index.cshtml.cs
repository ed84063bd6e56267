using Microsoft.AspNetCore.Mvc;
using StorageServer.Repos;
using StorageServer.Retention.Api;
using StorageServer.Retention.Usage;

namespace StorageServer.WebConsole.Pages.Repos;

internal sealed class IndexModel(RepositoryService repositories, StorageUsageQuery usage, TimeProvider clock) : ConsolePage(clock)
{
    public IReadOnlyList<Data.Entities.Repository> Repositories { get; private set; } = [];

    public IReadOnlyDictionary<string, RepoUsage> Usage { get; private set; } = new Dictionary<string, RepoUsage>();

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Repositories = await repositories.ListAsync(cancellationToken);
        Usage = (await usage.GetAsync(cancellationToken)).Repositories.ToDictionary(r => r.Repository);
    }

    public async Task<IActionResult> OnPostCreateAsync([FromForm] string? name, [FromForm] bool allowAnonymousRead, CancellationToken cancellationToken)
    {
        var result = await repositories.CreateAsync(name?.Trim(), allowAnonymousRead, Actor, cancellationToken);
        if (result.Repository is not { } repository)
        {
            await OnGetAsync(cancellationToken);
            return Refused(result.Error!, result.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);
        }
        var (owner, repo) = Split(repository.Name);
        return Done($"Repository {repository.Name} created.", "/Repos/Show", new { owner, name = repo });
    }

    public static (string Owner, string Name) Split(string fullName) => (fullName[..fullName.IndexOf('/')], fullName[(fullName.IndexOf('/') + 1)..]);
}
