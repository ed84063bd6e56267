using System.CommandLine;
using GitHooks.Commands;

namespace GitHooks;

public static partial class Cli
{
    private static void AddSetupVerbs(RootCommand root, ICommandContext context)
    {
        var global = new Option<bool>("--global") { Description = "Use the user's global git config instead of the repository's." };
        root.Subcommands.Add(Verb("install", "Set up the filter=lfs driver and install the hooks (takes over git-lfs's).", [global],
            (p, ct) => new InstallCommand(context).RunAsync(p.GetValue(global), ct), context));
        root.Subcommands.Add(Verb("uninstall", "Remove the filter config and hooks git storage installed.", [global],
            (p, ct) => new UninstallCommand(context).RunAsync(p.GetValue(global), ct), context));

        var patterns = new Argument<string[]>("pattern") { Arity = ArgumentArity.ZeroOrMore, Description = "Patterns such as \"*.bin\"." };
        root.Subcommands.Add(Verb("track", "Track files matching patterns with LFS (.gitattributes), or list the patterns.", [patterns],
            (p, ct) => new TrackCommand(context).RunAsync(p.GetValue(patterns) ?? [], ct), context));
        var untrackPatterns = new Argument<string[]>("pattern") { Arity = ArgumentArity.OneOrMore, Description = "Patterns to stop tracking, as given to track." };
        root.Subcommands.Add(Verb("untrack", "Stop tracking patterns with LFS (removes their .gitattributes lines).", [untrackPatterns],
            (p, ct) => new UntrackCommand(context).RunAsync(p.GetValue(untrackPatterns) ?? [], ct), context));
        root.Subcommands.Add(Verb("env", "Show the endpoint, auth and paths in use.", [],
            (_, ct) => new EnvCommand(context).RunAsync(ct), context));
    }

    private static void AddHookVerbs(RootCommand root, ICommandContext context)
    {
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.ZeroOrMore };
        var hookArgs = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        root.Subcommands.Add(Verb("filter-process", "Git's long-running filter (started by git).", [],
            (_, ct) => new FilterProcessCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("clean", "Single-file clean filter (started by git).", [paths],
            (_, ct) => new CleanCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("smudge", "Single-file smudge filter (started by git).", [paths],
            (_, ct) => new SmudgeCommand(context).RunAsync(ct), context));

        var pushRemote = new Argument<string>("remote");
        var pushUrl = new Argument<string?>("url") { Arity = ArgumentArity.ZeroOrOne };
        root.Subcommands.Add(Verb("pre-push", "Hook: verify locks and upload the LFS objects of the commits being pushed.", [pushRemote, pushUrl],
            (p, ct) => new PrePushCommand(context).RunAsync(p.GetValue(pushRemote)!, p.GetValue(pushUrl), ct), context));
        root.Subcommands.Add(Verb("post-checkout", "Hook: download and check out what a checkout left as pointers.", [hookArgs],
            (p, ct) => new PostCheckoutCommand(context).RunAsync(p.GetValue(hookArgs) ?? [], ct), context));
        root.Subcommands.Add(Verb("post-merge", "Hook: download and check out what a merge brought.", [hookArgs],
            (_, ct) => new PostMergeCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("post-rewrite", "Hook: download and check out after a rebase or amend.", [hookArgs],
            (_, ct) => new PostRewriteCommand(context).RunAsync(ct), context));
    }
}
