using System.CommandLine;
using GitHooks.Commands;

namespace GitHooks;

public static partial class Cli
{
    private static void AddMigrateVerbs(RootCommand root, ICommandContext context)
    {
        var migrate = new Command("migrate", "Rewrite history: import large files into LFS pointers, or export them back to plain git.");
        foreach (var mode in new[] { "import", "export" })
        {
            var include = new Option<string[]>("--include", "-I") { Description = "Paths to convert (comma-separated, gitattributes patterns such as \"*.bin\" or \"data/**\").", AllowMultipleArgumentsPerToken = false };
            var exclude = new Option<string[]>("--exclude", "-X") { Description = "Paths to leave as they are.", AllowMultipleArgumentsPerToken = false };
            var everything = new Option<bool>("--everything") { Description = "Rewrite every local and remote-tracking ref, not just unpushed commits of the current branch." };
            var includeRef = new Option<string[]>("--include-ref") { Description = "Rewrite commits reachable from this ref.", AllowMultipleArgumentsPerToken = false };
            var excludeRef = new Option<string[]>("--exclude-ref") { Description = "Leave commits reachable from this ref alone.", AllowMultipleArgumentsPerToken = false };
            var yes = new Option<bool>("--yes") { Description = "Proceed even though the work tree has uncommitted changes (they are overwritten)." };
            var verbose = new Option<bool>("--verbose") { Description = "Print each converted file." };
            var remote = new Option<string?>("--remote") { Description = "export: the remote to download missing objects from (default origin)." };
            var skipFetch = new Option<bool>("--skip-fetch") { Description = "Trust the remote-tracking refs you have instead of fetching them to learn what is pushed." };
            var branches = new Argument<string[]>("branch") { Arity = ArgumentArity.ZeroOrMore, Description = "Branches to rewrite; ^branch excludes one." };
            var description = mode == "import"
                ? "Convert matching files in history to LFS pointers and track them in .gitattributes."
                : "Convert matching LFS pointers in history back to the files' contents and untrack them.";
            migrate.Subcommands.Add(Verb(mode, description, [include, exclude, everything, includeRef, excludeRef, yes, verbose, remote, skipFetch, branches],
                (p, ct) => new MigrateCommand(context).RunAsync(new MigrateRequest(mode == "import",
                    p.GetValue(include) ?? [], p.GetValue(exclude) ?? [], p.GetValue(everything), p.GetValue(includeRef) ?? [], p.GetValue(excludeRef) ?? [],
                    p.GetValue(branches) ?? [], p.GetValue(yes), p.GetValue(verbose), p.GetValue(remote), p.GetValue(skipFetch)), ct), context));
        }
        root.Subcommands.Add(migrate);
    }
}
