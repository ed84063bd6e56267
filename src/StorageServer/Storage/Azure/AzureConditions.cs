using Azure;
using Azure.Storage.Blobs.Models;

namespace StorageServer.Storage.Azure;

internal static class AzureConditions
{
    /// <summary>
    /// Writes to an object's blob succeed only while it does not exist: a verified object is never
    /// overwritten, so a versioned account gets no second version from a concurrent upload of it.
    /// A fresh instance each time: the SDK's request conditions are mutable.
    /// </summary>
    public static BlobRequestConditions OnlyIfAbsent => new() { IfNoneMatch = ETag.All };

    /// <summary>The write lost to another that created the blob first (409 BlobAlreadyExists, or 412 on the condition).</summary>
    public static bool IsAlreadyExists(this RequestFailedException e) =>
        e.Status is 409 or 412 && e.ErrorCode is "BlobAlreadyExists" or "ConditionNotMet" or null;

    public static bool IsNotFound(this RequestFailedException e) => e.Status == 404;
}
