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

    public string FullDataDir => Path.GetFullPath(DataDir);
}
