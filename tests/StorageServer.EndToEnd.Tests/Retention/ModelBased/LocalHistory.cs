namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// A repository's clone as data: branches and tags pointing at commits whose trees map paths to
/// pointer files. Operations apply here first; <see cref="LocalRepository"/> then writes the new
/// commits and tags with <c>git fast-import</c> and pushes.
/// </summary>
public sealed class LocalHistory(int repo)
{
    private int _commits;

    public Dictionary<string, LocalCommit> Branches { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, LocalTag> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>Commits and tags made since the last write, in order (parents and tagged tags first).</summary>
    public List<LocalCommit> NewCommits { get; } = [];

    public List<LocalTag> NewTags { get; } = [];

    public List<int> Uploads { get; } = [];

    /// <summary>What the operations did, one line each, for the failure report.</summary>
    public List<string> Transcript { get; } = [];

    public void Apply(RepoOp op)
    {
        op = Resolved(op);
        var done = op switch
        {
            CommitOp c => Commit(c.Branch, Branches.GetValueOrDefault(c.Branch) ?? Branches.GetValueOrDefault("main"), c.Edits),
            MergeOp m when Branches.GetValueOrDefault(m.Into) is { } into && Branches.GetValueOrDefault(m.From) is { } from && into != from =>
                Set(m.Into, New([into, from], Merge(into.Tree, from.Tree))),
            BranchOp b when Branches.GetValueOrDefault(b.From) is { } from => Set(b.Branch, Back(from, b.Back) ?? Root(from)),
            RewindOp r when Branches.GetValueOrDefault(r.Branch) is { } tip && Back(tip, r.Back) is { } target => Set(r.Branch, target),
            AmendOp a when Branches.GetValueOrDefault(a.Branch) is { } tip => Set(a.Branch, New(tip.Parents, Edited(tip.Tree, a.Edits))),
            DeleteBranchOp d when d.Branch != "main" && Branches.Remove(d.Branch) => "deleted",
            TagOp t => Tag(t),
            DeleteTagOp d when Tags.Remove(d.Tag) => "deleted",
            UploadOp u => Upload(u.Object),
            _ => null,
        };
        Transcript.Add($"{ScenarioText.Op(op)} → {done ?? "nothing (no such ref)"}");
    }

    /// <summary>
    /// An operation naming a branch that does not exist acts on an existing one instead (chosen by
    /// the name's place in <see cref="ScenarioGen.Branches"/>), so few generated operations do
    /// nothing; a commit to a missing branch still creates it.
    /// </summary>
    private RepoOp Resolved(RepoOp op) => op switch
    {
        MergeOp m => m with { Into = Existing(m.Into), From = Existing(m.From) },
        BranchOp b => b with { From = Existing(b.From) },
        RewindOp r => r with { Branch = Existing(r.Branch) },
        AmendOp a => a with { Branch = Existing(a.Branch) },
        DeleteBranchOp d when !Branches.ContainsKey(d.Branch) => d with { Branch = Pick(Branches.Keys.Where(k => k != "main"), d.Branch) ?? d.Branch },
        TagOp { Kind: TagKind.OfTag, OfTag: { } inner } t when !Tags.ContainsKey(inner) =>
            t with { OfTag = Pick(Tags.Values.Where(v => v.Annotated && v.Name != t.Tag).Select(v => v.Name), inner) ?? inner },
        TagOp t => t with { Branch = Existing(t.Branch) },
        DeleteTagOp d when !Tags.ContainsKey(d.Tag) => d with { Tag = Pick(Tags.Keys, d.Tag) ?? d.Tag },
        _ => op,
    };

    private string Existing(string branch) => Branches.ContainsKey(branch) ? branch : Pick(Branches.Keys, branch) ?? branch;

    private static string? Pick(IEnumerable<string> existing, string name)
    {
        var sorted = existing.Order(StringComparer.Ordinal).ToList();
        var place = Math.Max(Array.IndexOf(ScenarioGen.Branches, name), Array.IndexOf(ScenarioGen.Tags, name));
        return sorted.Count == 0 ? null : sorted[Math.Max(0, place) % sorted.Count];
    }

    private string Commit(string branch, LocalCommit? parent, IReadOnlyList<Edit> edits) =>
        Set(branch, New(parent is null ? [] : [parent], Edited(parent?.Tree ?? new SortedDictionary<string, FileValue>(StringComparer.Ordinal), edits)));

    private string Set(string branch, LocalCommit commit)
    {
        Branches[branch] = commit;
        return $"{branch} at {commit}";
    }

    private LocalCommit New(IReadOnlyList<LocalCommit> parents, SortedDictionary<string, FileValue> tree)
    {
        var commit = new LocalCommit($"r{repo}c{++_commits}", parents, tree);
        NewCommits.Add(commit);
        return commit;
    }

    private string? Tag(TagOp t)
    {
        var tip = Branches.GetValueOrDefault(t.Branch);
        LocalTag? tag = t.Kind switch
        {
            TagKind.Lightweight when tip is not null => new LocalTag(t.Tag, Annotated: false, Commit: tip),
            TagKind.Annotated when tip is not null => new LocalTag(t.Tag, Annotated: true, Commit: tip),
            TagKind.OfTree when tip is not null => new LocalTag(t.Tag, Annotated: true, Commit: tip, TreeOnly: true),
            TagKind.LightweightTree when tip is not null => new LocalTag(t.Tag, Annotated: false, Commit: tip, TreeOnly: true),
            TagKind.OfTag when t.OfTag != t.Tag && Tags.GetValueOrDefault(t.OfTag!) is { Annotated: true } inner => new LocalTag(t.Tag, Annotated: true, Tag: inner),
            TagKind.OfBlob => new LocalTag(t.Tag, Annotated: true, Blob: t.Blob),
            TagKind.LightweightBlob => new LocalTag(t.Tag, Annotated: false, Blob: t.Blob),
            _ => null,
        };
        if (tag is null)
        {
            return null;
        }
        Tags[t.Tag] = tag;
        NewTags.Add(tag);
        return tag.ToString();
    }

    private string Upload(int index)
    {
        Uploads.Add(index);
        return "uploaded after the push";
    }

    private static LocalCommit? Back(LocalCommit tip, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            if (tip.Parents.Count == 0)
            {
                return null;
            }
            tip = tip.Parents[0];
        }
        return tip;
    }

    private static LocalCommit Root(LocalCommit tip) => tip.Parents.Count == 0 ? tip : Root(tip.Parents[0]);

    private static SortedDictionary<string, FileValue> Edited(SortedDictionary<string, FileValue> tree, IEnumerable<Edit> edits)
    {
        var result = new SortedDictionary<string, FileValue>(tree, StringComparer.Ordinal);
        foreach (var edit in edits)
        {
            if (edit.Value is null)
            {
                result.Remove(edit.Path);
            }
            else
            {
                result[edit.Path] = edit.Value;
            }
        }
        return result;
    }

    private static SortedDictionary<string, FileValue> Merge(SortedDictionary<string, FileValue> ours, SortedDictionary<string, FileValue> theirs)
    {
        var result = new SortedDictionary<string, FileValue>(ours, StringComparer.Ordinal);
        foreach (var (path, value) in theirs)
        {
            result.TryAdd(path, value);
        }
        return result;
    }
}
