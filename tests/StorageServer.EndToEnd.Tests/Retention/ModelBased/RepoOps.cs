namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// An operation on a repository's local clone before the day's push. Operations that name a
/// branch or tag that does not exist (yet, or any more) do nothing; the transcript says so.
/// </summary>
public abstract record RepoOp;

/// <summary>A commit on <see cref="Branch"/> (created from main's tip, or as a root, when missing).</summary>
public sealed record CommitOp(string Branch, IReadOnlyList<Edit> Edits) : RepoOp;

/// <summary>A merge commit on <see cref="Into"/> with <see cref="From"/>'s tip as second parent.</summary>
public sealed record MergeOp(string Into, string From) : RepoOp;

/// <summary>Creates or moves <see cref="Branch"/> to the commit <see cref="Back"/> first parents behind <see cref="From"/>'s tip.</summary>
public sealed record BranchOp(string Branch, string From, int Back) : RepoOp;

/// <summary>Force-push: <see cref="Branch"/> goes back <see cref="Back"/> first parents; the commits after stay only in the index.</summary>
public sealed record RewindOp(string Branch, int Back) : RepoOp;

/// <summary>Force-push: <see cref="Branch"/>'s tip is replaced by a commit with the same parents and these edits.</summary>
public sealed record AmendOp(string Branch, IReadOnlyList<Edit> Edits) : RepoOp;

/// <summary>Deletes <see cref="Branch"/> (never main).</summary>
public sealed record DeleteBranchOp(string Branch) : RepoOp;

/// <summary>
/// Creates or moves tag <see cref="Tag"/>: at <see cref="Branch"/>'s tip (commit or its tree), at
/// another annotated tag <see cref="OfTag"/>, or at a pointer blob <see cref="Blob"/>.
/// </summary>
public sealed record TagOp(string Tag, TagKind Kind, string Branch, string? OfTag, FileValue? Blob) : RepoOp;

/// <summary>Deletes tag <see cref="Tag"/>.</summary>
public sealed record DeleteTagOp(string Tag) : RepoOp;

/// <summary>Uploads pool object <see cref="Object"/> through the LFS API without any commit naming it: an orphan claim.</summary>
public sealed record UploadOp(int Object) : RepoOp;

public enum TagKind
{
    Lightweight,
    Annotated,
    OfTag,
    OfTree,
    LightweightTree,
    OfBlob,
    LightweightBlob,
}
