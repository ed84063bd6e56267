using GitHooks.Git;
using GitHooks.LocalStorage;

namespace GitHooks.Commands;

/// <summary>
/// <c>git storage track [pattern…]</c>: adds <c>&lt;pattern&gt; filter=lfs diff=lfs merge=lfs -text</c>
/// to the root <c>.gitattributes</c> (the same line git-lfs writes); without patterns, lists them.
/// </summary>
public sealed class TrackCommand(ICommandContext context)
{
    public const string Attributes = AttributesFile.LfsAttributes;

    public async Task<int> RunAsync(IReadOnlyList<string> patterns, CancellationToken cancellationToken)
    {
        var file = await OpenAsync(context, "track", cancellationToken);
        var tracked = await file.TrackedPatternsAsync(cancellationToken);
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
            var pattern = AttributesFile.Escape(raw);
            if (tracked.Contains(pattern, StringComparer.Ordinal))
            {
                await context.Out.WriteLineAsync($"\"{raw}\" already supported");
                continue;
            }
            added.Add(AttributesFile.TrackLine(raw));
            tracked.Add(pattern);
            await context.Out.WriteLineAsync($"Tracking \"{raw}\"");
        }
        if (added.Count > 0)
        {
            await file.WriteAsync(AttributesFile.Append(await file.ReadAsync(cancellationToken), added), cancellationToken);
        }
        return 0;
    }

    /// <summary>The repository's root .gitattributes; <paramref name="verb"/> names the command in the error.</summary>
    internal static async Task<AttributesFile> OpenAsync(ICommandContext context, string verb, CancellationToken cancellationToken)
    {
        var repository = await Repository.RequireAsync(new GitRunner(context.WorkingDirectory, context.GitEnvironment), cancellationToken);
        var workTree = repository.WorkTree ?? throw new UserException($"'{verb}' needs a work tree.");
        return new AttributesFile(Path.Combine(workTree, ".gitattributes"));
    }
}
