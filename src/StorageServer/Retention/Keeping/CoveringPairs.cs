namespace StorageServer.Retention.Keeping;

/// <summary>
/// The covering pairs of an object in a repository: for each occurrence (commit c, path p), one
/// pair (r, p) per ref r whose history holds c, or (no ref, p) when none does. Pairs are kept by
/// (ref, path) alone: whether a rule applies and whether it lets go depends on nothing else.
/// </summary>
internal static class CoveringPairs
{
    public static List<(string? Ref, string Path)> Of(RepositoryKeepState state, string oid)
    {
        var pairs = new HashSet<(string?, string)>();
        foreach (var (commit, path) in state.Occurrences.GetValueOrDefault(oid) ?? [])
        {
            if (state.RefsByCommit is null)
            {
                // No rule looks at the ref: one pair per path says all.
                pairs.Add((null, path));
            }
            else if (state.RefsByCommit.TryGetValue(commit, out var refs) && refs.Count > 0)
            {
                foreach (var reference in refs)
                {
                    pairs.Add((reference, path));
                }
            }
            else
            {
                pairs.Add((null, path));
            }
        }
        foreach (var path in state.Unreachable.GetValueOrDefault(oid) ?? [])
        {
            pairs.Add((null, path));
        }
        return pairs.OrderBy(p => p.Item2, StringComparer.Ordinal).ThenBy(p => p.Item1, StringComparer.Ordinal).ToList();
    }

    public static string Describe(RepositoryKeepState state, string? reference) =>
        reference ?? (state.RefsByCommit is null ? "any ref" : "commits no ref reaches");
}
