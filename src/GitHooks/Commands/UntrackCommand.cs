using GitHooks.Git;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage untrack &lt;pattern…&gt;</c>: removes the LFS line of each pattern from the root
/// <c>.gitattributes</c>, as <c>git lfs untrack</c> does; other lines stay as they are. Files
/// already committed stay pointers until they are added again.
/// </summary>
public sealed class UntrackCommand(ICommandContext context)
{
    public async Task<int> RunAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var file = await TrackCommand.OpenAsync(context, "untrack", cancellationToken);
        var text = await file.ReadAsync(cancellationToken);
        if (text.Length == 0)
        {
            await context.Error.WriteLineAsync("No .gitattributes here: nothing is tracked.");
            return 0;
        }
        var wanted = patterns.Select(AttributesFile.Escape).ToHashSet(StringComparer.Ordinal);
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var line in text.Split('\n'))
        {
            if (AttributesFile.LfsPattern(line) is { } pattern && wanted.Contains(pattern))
            {
                removed.Add(pattern);
                continue;
            }
            kept.Add(line);
        }
        foreach (var raw in patterns.Where(p => removed.Contains(AttributesFile.Escape(p))))
        {
            await context.Out.WriteLineAsync($"Untracking \"{raw}\"");
        }
        if (removed.Count > 0)
        {
            await file.WriteAsync(string.Join('\n', kept), cancellationToken);
        }
        return 0;
    }
}
