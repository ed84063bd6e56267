using GitHooks.Git;

namespace GitHooks.Migrate;

/// <summary>
/// The lines <c>migrate</c> puts into every rewritten commit's root <c>.gitattributes</c>, exactly
/// as git-lfs 3.3 writes them: import tracks the included patterns and un-tracks the excluded ones
/// (<c>!text -filter -merge -diff</c>); export un-tracks the included ones
/// (<c>!text !filter !merge !diff</c>) and keeps the excluded ones tracked. A line already present
/// (byte for byte) is not added again; everything else in the file stays as it was.
/// </summary>
public sealed class AttributesEditor(IReadOnlyList<string> lines)
{
    public static AttributesEditor For(bool import, IEnumerable<string> include, IEnumerable<string> exclude)
    {
        var tracked = $" {AttributesFile.LfsAttributes}";
        var lines = import
            ? include.Select(p => AttributesFile.Escape(p) + tracked).Concat(exclude.Select(p => AttributesFile.Escape(p) + " !text -filter -merge -diff"))
            : include.Select(p => AttributesFile.Escape(p) + " !text !filter !merge !diff").Concat(exclude.Select(p => AttributesFile.Escape(p) + tracked));
        return new AttributesEditor([.. lines]);
    }

    public string Edit(string original)
    {
        var present = original.Split('\n').Select(l => l.TrimEnd('\r')).ToHashSet(StringComparer.Ordinal);
        return AttributesFile.Append(original, lines.Where(l => !present.Contains(l)).Distinct());
    }
}
