using System.ComponentModel.DataAnnotations;

namespace StorageServer.Configuration;

/// <summary>Where the server keeps its state. Section <c>StorageServer</c>; <c>--data-dir</c> maps to <c>DataDir</c>.</summary>
public sealed class StorageServerOptions
{
    public const string Section = "StorageServer";

    [Required]
    public string DataDir { get; set; } = "./data";

    /// <summary>
    /// Base URL put into transfer hrefs, for servers behind a proxy that rewrites the host.
    /// When unset, hrefs are built from the request's scheme and host.
    /// </summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Identifies this node in a cluster; keeps each node's temporary files apart.</summary>
    [Required]
    public string NodeId { get; set; } = Environment.MachineName;

    /// <summary>
    /// On SIGTERM, how long the node keeps serving while it drains: readiness answers 503 and every
    /// response closes its connection, so load balancers stop sending it work and hold no idle
    /// connection to it; then it stops accepting and finishes what is in flight
    /// (<c>StorageServer:ShutdownTimeout</c>). Longer than the shipped nginx site's upstream
    /// <c>keepalive_timeout</c> (3 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    public string FullDataDir => Path.GetFullPath(DataDir);
}
