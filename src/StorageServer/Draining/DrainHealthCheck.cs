using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageServer.Draining;

/// <summary>Readiness goes 503 as soon as the node starts draining, before it stops accepting.</summary>
internal sealed class DrainHealthCheck(DrainState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("draining: the node is shutting down") : HealthCheckResult.Healthy());
}
