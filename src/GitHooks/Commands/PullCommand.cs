using GitHooks.Filtering;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage pull [remote] [-I …] [-X …]</c>: downloads what the checked-out files need and
/// puts the data in place; with include/exclude (or <c>lfs.fetchinclude</c>/<c>lfs.fetchexclude</c>)
/// only for the matching paths, the others stay pointers.
/// </summary>
public sealed class PullCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? remote, IReadOnlyList<string>? include, IReadOnlyList<string>? exclude, CancellationToken cancellationToken)
    {
        using var session = await LfsSession.OpenAsync(context, cancellationToken);
        if (session.Repository.WorkTree is null)
        {
            throw new UserException("'pull' needs a work tree; use 'git storage fetch' in a bare repository.");
        }
        return await CheckoutPointers.RunAsync(session, null, remote, cancellationToken, filter: PathFilter.FromConfig(session.Config, include, exclude));
    }
}
