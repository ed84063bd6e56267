using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Erasure.Data;

namespace StorageServer.Erasure.Jobs;

/// <summary>
/// Once the server has started, queues a run for every request not completed yet: one interrupted
/// by a crash resumes where its per-object progress stopped; a deferred one is re-checked (its hold
/// may have been released while the server was down).
/// </summary>
public sealed class ErasureResumer(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, ILogger<ErasureResumer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = ResumeAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            var launcher = scope.ServiceProvider.GetRequiredService<ErasureLauncher>();
            var unfinished = await db.Set<ErasureRequest>().AsNoTracking().Where(r => r.State != ErasureState.Completed && r.State != ErasureState.Cancelled && r.State != ErasureState.Previewed).Select(r => r.Id).ToListAsync(cancellationToken);
            foreach (var id in unfinished)
            {
                await launcher.RunRequestAsync(id, "system:resume", cancellationToken);
            }
            if (unfinished.Count > 0)
            {
                logger.LogInformation("Queued {Count} unfinished erasure requests after startup", unfinished.Count);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not queue unfinished erasure requests after startup");
        }
    }
}
