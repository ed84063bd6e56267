using StorageServer.Data.Entities;
using StorageServer.Git;

namespace StorageServer.Retention.Reachability;

/// <summary>After every push: move the dereference clock and revive trashed claims a tip needs again.</summary>
public sealed class RetentionPushListener(ReachabilityRefresher refresher) : IPushListener
{
    public async Task OnPushedAsync(Repository repository, CancellationToken cancellationToken) =>
        await refresher.RefreshAfterPushAsync(repository, cancellationToken);
}
