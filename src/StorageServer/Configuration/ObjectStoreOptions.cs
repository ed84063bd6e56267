namespace StorageServer.Configuration;

/// <summary>Where object bytes live. Section <c>ObjectStore</c>.</summary>
public sealed class ObjectStoreOptions
{
    public const string Section = "ObjectStore";

    /// <summary><c>FileSystem</c> (default), <c>S3</c> or <c>AzureBlob</c>.</summary>
    public ObjectStoreKind Type { get; set; } = ObjectStoreKind.FileSystem;

    /// <summary>FileSystem root; defaults to <c>&lt;data-dir&gt;/objects</c>.</summary>
    public string? Path { get; set; }
}

public enum ObjectStoreKind
{
    FileSystem,
    S3,
    AzureBlob,
}
