using System.Diagnostics;

namespace StorageServer.Observability;

/// <summary>
/// The server's own spans (activity source <c>StorageServer</c>): a git push or fetch and an LFS
/// upload, inside the request spans of ASP.NET Core and around the database spans of Npgsql.
/// Spans carry no repository name, user, path or oid: traces leave the server, erasure must not
/// have to chase them.
/// </summary>
public static class StorageTelemetry
{
    public const string SourceName = "StorageServer";

    public static readonly ActivitySource Source = new(SourceName);
}
