using Microsoft.Extensions.Options;

namespace StorageServer.Retention.Reconciliation;

/// <summary>
/// Once the server is up, reclaims the leftovers of an earlier crash in the background (not as a
/// queued job: a start must not take a job slot). Every node may do it; the fences keep two of them
/// off the same object. <c>Retention:ReconcileAtStartup=false</c> turns it off.
/// </summary>
public sealed class ReconcileOnStartup(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, IOptions<RetentionOptions> options, ILogger<ReconcileOnStartup> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ReconcileAtStartup)
        {
            lifetime.ApplicationStarted.Register(() => _ = ReconcileAsync(lifetime.ApplicationStopping));
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CrashLeftoverReconciler>().RunAsync("system:startup", null, null, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping: the next start or the job tries again.
        }
        catch (Exception e)
        {
            logger.LogError(e, "Reconciling crash leftovers at startup failed; run the {Job} job to retry", Jobs.RetentionReconcileJob.Name);
        }
    }
}
