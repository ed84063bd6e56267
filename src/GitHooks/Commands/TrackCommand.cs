using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage track [pattern…]</c>: adds <c>&lt;pattern&gt; filter=lfs diff=lfs merge=lfs -text</c>
/// to the root <c>.gitattributes</c> (the same line git-lfs writes); without patterns, lists them.
/// </summary>
public sealed class TrackCommand(ICommandContext context)
{
    public const string Attributes = "filter=lfs diff=lfs merge=lfs -text";

    public async Task<int> RunAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var git = new GitRunner(context.WorkingDirectory, context.GitEnvironment);
        var repository = await Repository.RequireAsync(git, cancellationToken);
        var workTree = repository.WorkTree ?? throw new UserException("'track' needs a work tree.");
        var file = Path.Combine(workTree, ".gitattributes");
        var lines = File.Exists(file) ? (await File.ReadAllLinesAsync(file, cancellationToken)).ToList() : [];
        var tracked = lines.Select(l => l.Trim()).Where(l => l.Contains("filter=lfs", StringComparison.Ordinal) && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]).ToList();

        if (patterns.Count == 0)
        {
            await context.Out.WriteLineAsync("Listing tracked patterns");
            foreach (var pattern in tracked)
            {
                await context.Out.WriteLineAsync($"    {pattern} (.gitattributes)");
            }
            return 0;
        }

        var added = new List<string>();
        foreach (var raw in patterns)
        {
            // Attribute files split on whitespace; git-lfs escapes it the same way.
            var pattern = raw.Replace(" ", "[[:space:]]", StringComparison.Ordinal);
            if (tracked.Contains(pattern, StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync($"\"{raw}\" already supported");
                continue;
            }
            added.Add($"{pattern} {Attributes}");
            tracked.Add(pattern);
            await context.Out.WriteLineAsync($"Tracking \"{raw}\"");
        }
        if (added.Count > 0)
        {
            var text = File.Exists(file) ? await File.ReadAllTextAsync(file, cancellationToken) : string.Empty;
            if (text.Length > 0 && !text.EndsWith('\n'))
            {
                text += "\n";
            }
            text += string.Join("\n", added) + "\n";
            await File.WriteAllTextAsync(file, text, new System.Text.UTF8Encoding(false), cancellationToken);
        }
        return 0;
    }
}
