namespace StorageServer.Git.Refs;

/// <summary>What a ref ends at once every annotated tag on the way is peeled: never a tag.</summary>
public enum PeeledKind
{
    Commit,
    Tree,
    Blob,
}
