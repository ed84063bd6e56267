using StorageServer.Data.Entities;

namespace StorageServer.Git;

/// <summary>
/// Told after a push landed and its pointers were indexed (post-receive), for every push
/// including branch deletions. A listener that throws is logged; the push stands.
/// </summary>
public interface IPushListener
{
    Task OnPushedAsync(Repository repository, CancellationToken cancellationToken);
}
