using System.Globalization;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>A scenario as a person reads it: one line per policy, hold, operation and run.</summary>
public static class ScenarioText
{
    public static string Describe(Scenario scenario)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{scenario.RepoCount} repositories ({string.Join(", ", Enumerable.Range(0, scenario.RepoCount).Select(Repo))}); ");
        var firstDvc = ScenarioGen.FirstDvcObject(scenario.ObjectSizes.Count - 1);
        text.AppendLine(string.Join(", ", scenario.ObjectSizes.Select((s, i) => $"O{i}={s} B{(i >= firstDvc && i < scenario.ObjectSizes.Count - 1 ? " (DVC)" : "")}")));
        foreach (var policy in scenario.Policies)
        {
            text.Append("  policy ").AppendLine(Policy(policy));
        }
        foreach (var day in scenario.Days)
        {
            text.Append(CultureInfo.InvariantCulture, $"  day {day.Day}:");
            foreach (var hold in day.Holds)
            {
                text.Append(' ').Append(Hold(hold)).Append(';');
            }
            foreach (var repo in day.Repos)
            {
                text.Append(' ').Append(Repo(repo.Repo)).Append(": ").Append(string.Join(", ", repo.Ops.Select(Op))).Append("; push;");
            }
            text.AppendLine((day.Mark ? " mark;" : "") + (day.Sweep ? " sweep;" : ""));
        }
        return text.ToString();
    }

    public static string Repo(int index) => $"oracle/r{index}";

    public static string Policy(PolicySpec p)
    {
        var parts = new List<string> { p.Repo is { } r ? $"repository={Repo(r)}" : "server" };
        if (p.ProtectedRefs is { } refs)
        {
            parts.Add($"protectedRefs=[{string.Join(", ", refs)}]");
        }
        if (p.RefGlob is not null)
        {
            parts.Add($"refGlob={p.RefGlob}");
        }
        if (p.PathGlob is not null)
        {
            parts.Add($"pathGlob={p.PathGlob}");
        }
        if (p.KeepDays is { } days)
        {
            parts.Add($"keepDaysAfterDereference={days}");
        }
        if (p.KeepLast is { } last)
        {
            parts.Add($"keepLastVersions={last}");
        }
        if (p.GraceHours is { } hours)
        {
            parts.Add($"orphanGraceHours={hours}");
        }
        return string.Join(' ', parts);
    }

    public static string Hold(HoldOp hold) => hold switch
    {
        HoldOid h => $"hold oid O{h.Object}",
        HoldRepo h => $"hold repository {Repo(h.Repo)}",
        HoldPath h => $"hold path {h.Glob}" + (h.Repo is { } r ? $" in {Repo(r)}" : ""),
        ReleaseHold h => $"release hold #{h.Which}",
        ReleaseAllHolds => "release all holds",
        _ => hold.ToString(),
    };

    public static string Op(RepoOp op) => op switch
    {
        CommitOp c => $"commit {c.Branch} [{Edits(c.Edits)}]",
        MergeOp m => $"merge {m.From} into {m.Into}",
        BranchOp b => $"branch {b.Branch} at {b.From}~{b.Back}",
        RewindOp r => $"force {r.Branch} to {r.Branch}~{r.Back}",
        AmendOp a => $"amend {a.Branch} [{Edits(a.Edits)}]",
        DeleteBranchOp d => $"delete branch {d.Branch}",
        TagOp t => t.Kind switch
        {
            TagKind.OfTag => $"tag {t.Tag} of tag {t.OfTag}",
            TagKind.OfBlob or TagKind.LightweightBlob => $"tag {t.Tag} ({t.Kind}) of blob {File(t.Blob!)}",
            _ => $"tag {t.Tag} ({t.Kind}) at {t.Branch}",
        },
        DeleteTagOp d => $"delete tag {d.Tag}",
        UploadOp u => $"upload O{u.Object} without a commit",
        _ => op.ToString(),
    };

    public static string File(FileValue value) =>
        value.Form == PointerForm.Canonical ? $"O{value.Object}" : $"O{value.Object}({value.Form})";

    private static string Edits(IEnumerable<Edit> edits) =>
        string.Join(" ", edits.Select(e => e.Value is null ? $"-{e.Path}" : $"{e.Path}={File(e.Value)}"));
}
