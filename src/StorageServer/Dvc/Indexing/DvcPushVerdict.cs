using System.Globalization;
using System.Text;
using StorageServer.Dvc.Settings;

namespace StorageServer.Dvc.Indexing;

/// <summary>The verdict on a push's DVC outputs: those missing, and whether the repository refuses or warns.</summary>
public sealed record DvcPushVerdict(IReadOnlyList<DvcOutputEntry> Missing, DvcPushCheckMode Mode)
{
    private const int MaxListed = 50;

    public bool Refused => Missing.Count > 0 && Mode == DvcPushCheckMode.Enforce;

    public string Message()
    {
        var text = new StringBuilder();
        var objects = Missing.Select(m => m.Output.Hash).Distinct().Count();
        // Outputs lost at a pushed tip may belong to a commit the repository already had (a new
        // branch at an old commit), not to the pushed commits.
        var source = Missing.All(m => m.AtTip) ? "at the pushed tips" : Missing.Any(m => m.AtTip) ? "of the pushed commits and tips" : "of the pushed commits";
        text.Append(Mode == DvcPushCheckMode.Enforce
            ? string.Create(CultureInfo.InvariantCulture, $"StorageServer: push rejected: {objects} DVC output(s) {source} are not on the server.\n")
            : string.Create(CultureInfo.InvariantCulture, $"StorageServer: warning: {objects} DVC output(s) {source} are not on the server yet.\n"));
        foreach (var entry in Missing.DistinctBy(m => (m.Output.Path, m.Output.Hash)).Take(MaxListed))
        {
            text.Append(CultureInfo.InvariantCulture, $"  missing: {entry.Output.Path} (md5 {entry.Output.Hash.Value}, in {entry.Output.MetadataPath}) {(entry.AtTip ? "at pushed tip" : "in commit")} {entry.Commit[..Math.Min(12, entry.Commit.Length)]}\n");
        }
        if (Missing.Count > MaxListed)
        {
            text.Append(CultureInfo.InvariantCulture, $"  … and {Missing.Count - MaxListed} more\n");
        }
        text.Append(Mode == DvcPushCheckMode.Enforce
            ? "Upload them first (`dvc push`, to this repository's remote …/info/dvc), then push again.\n"
            : "Run `dvc push` so others can pull them.\n");
        return text.ToString();
    }
}
