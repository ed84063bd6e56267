namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>A commit of <see cref="LocalHistory"/>; <see cref="Sha"/> is known once fast-import wrote it.</summary>
public sealed class LocalCommit(string label, IReadOnlyList<LocalCommit> parents, SortedDictionary<string, FileValue> tree)
{
    public string Label { get; } = label;

    public IReadOnlyList<LocalCommit> Parents { get; } = parents;

    public SortedDictionary<string, FileValue> Tree { get; } = tree;

    public string? Sha { get; set; }

    public override string ToString() =>
        $"{Label}{(Sha is null ? "" : "=" + Sha[..8])}({string.Join(" ", Tree.Select(e => $"{e.Key}={ScenarioText.File(e.Value)}"))})";
}
