namespace GitHooks.Commands;

/// <summary>
/// <c>git storage help [command]</c>: the usage of git storage or of one command (the same text as
/// <c>git storage &lt;command&gt; -h</c>); an unknown command is an error that lists the real ones.
/// </summary>
public sealed class HelpCommand(ICommandContext context)
{
    public async Task<int> RunAsync(string? topic, CancellationToken cancellationToken)
    {
        var root = Cli.Build(context);
        if (topic is null)
        {
            return await Cli.RunAsync(context, ["--help"]);
        }
        var parts = topic.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (root.Subcommands.FirstOrDefault(c => c.Name == parts[0]) is null)
        {
            var known = string.Join(", ", root.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
            throw new LocalStorage.UserException($"no such command '{topic}'. Commands: {known}.");
        }
        return await Cli.RunAsync(context, [.. parts, "--help"]);
    }
}
