using System.Data.Common;
using System.Net.Sockets;
using Amazon.Runtime;

namespace StorageServer.Health;

/// <summary>
/// Decides whether an exception means "a dependency (database, object store) is unreachable or
/// restarting" rather than a bug: the first is worth a 503 with Retry-After, since the same request
/// will succeed once the dependency is back, without restarting the node.
/// </summary>
public static class DependencyOutage
{
    public static bool IsOutage(Exception exception, out string dependency)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case DbException { IsTransient: true }:
                    dependency = "database";
                    return true;
                case AmazonServiceException { StatusCode: >= System.Net.HttpStatusCode.InternalServerError }:
                case AmazonClientException when e.InnerException is HttpRequestException or SocketException or IOException:
                case global::Azure.RequestFailedException { Status: >= 500 }:
                    dependency = "object store";
                    return true;
                case HttpRequestException or SocketException:
                    // Only the object store clients and Npgsql open sockets on the request path; Npgsql wraps its own.
                    dependency = HasDbException(exception) ? "database" : "object store";
                    return true;
            }
        }
        dependency = string.Empty;
        return false;
    }

    private static bool HasDbException(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DbException)
            {
                return true;
            }
        }
        return false;
    }
}
