using System.ComponentModel.DataAnnotations;

namespace StorageServer.RequestLimits;

/// <summary>
/// What a request may cost the server before it is known to be worth it. Section <c>Limits</c>.
/// Transfers (object PUT/GET, git packs) are streamed and not limited here; the Git LFS JSON
/// routes have their own body limit, <c>Lfs:MaxJsonBodyBytes</c>.
/// </summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "Limits";

    /// <summary>Largest body of every other route (the admin API); larger ones get 413 before a byte is read.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Requests with a JSON body being read, parsed and answered at once, server-wide (admin API and
    /// the LFS batch, lock and verify calls); more wait in a queue. With the body limits this bounds
    /// the memory such bodies can take.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentJsonRequests { get; set; } = 8;

    /// <summary>Requests waiting for one of those slots; beyond it they get 503 (429 on the LFS API) with Retry-After.</summary>
    [Range(0, 100_000)]
    public int JsonRequestQueueLength { get; set; } = 1000;
}
