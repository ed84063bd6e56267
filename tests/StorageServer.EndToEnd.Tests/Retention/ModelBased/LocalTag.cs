namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// A tag of <see cref="LocalHistory"/>: annotated or lightweight, at a commit, that commit's tree
/// (<see cref="TreeOnly"/>), another annotated tag, or a pointer blob. <see cref="Sha"/> is the
/// object its ref names once written: the tag object when annotated, the blob for a lightweight
/// blob tag (null for lightweight commit and tree tags, whose ref is the commit's).
/// </summary>
public sealed record LocalTag(string Name, bool Annotated, LocalCommit? Commit = null, bool TreeOnly = false, LocalTag? Tag = null, FileValue? Blob = null)
{
    public string? Sha { get; set; }

    public string RefName => "refs/tags/" + Name;

    public override string ToString()
    {
        var target = Tag is not null ? $"tag {Tag.Name}"
            : Blob is not null ? $"blob {ScenarioText.File(Blob)}"
            : TreeOnly ? $"tree of {Commit!.Label}" : Commit!.Label;
        return $"{(Annotated ? "annotated" : "lightweight")} {Name} → {target}";
    }
}
