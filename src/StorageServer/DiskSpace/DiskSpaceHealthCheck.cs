using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace StorageServer.DiskSpace;

/// <summary>Readiness: every disk the server writes to has at least <c>DiskSpace:MinFreeBytes</c> free.</summary>
internal sealed class DiskSpaceHealthCheck(DiskSpaceGuard guard) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = guard.BelowFloor();
        return Task.FromResult(problems.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
