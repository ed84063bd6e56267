using System.CommandLine;
using GitHooks.Commands;
using GitHooks.LocalStorage;

namespace GitHooks;

/// <summary>
/// The verbs and their arguments. Wiring only: each action hands its parsed values to a command
/// class, and user-facing failures (<see cref="UserException"/>) become one line on stderr.
/// </summary>
public static class Cli
{
    public static async Task<int> RunAsync(ICommandContext context, string[] args)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error };
        return await parse.InvokeAsync(configuration);
    }

    public static RootCommand Build(ICommandContext context)
    {
        var root = new RootCommand("git storage: large files in git through the Git LFS protocol, without git-lfs installed.");
        var global = new Option<bool>("--global") { Description = "Use the user's global git config instead of the repository's." };
        var all = new Option<bool>("--all") { Description = "Every object reachable from every local ref." };
        var remote = new Argument<string?>("remote") { Arity = ArgumentArity.ZeroOrOne, Description = "The remote (default: the current branch's, else origin)." };
        var refs = new Argument<string[]>("refs") { Arity = ArgumentArity.ZeroOrMore, Description = "Refs to work on (default: HEAD)." };
        var hookArgs = new Argument<string[]>("args") { Arity = ArgumentArity.ZeroOrMore };
        var paths = new Argument<string[]>("path") { Arity = ArgumentArity.ZeroOrMore };

        root.Subcommands.Add(Verb("install", "Set up the filter=lfs driver and install the hooks.", [global],
            (p, ct) => new InstallCommand(context).RunAsync(p.GetValue(global), ct), context));
        root.Subcommands.Add(Verb("uninstall", "Remove the filter config and hooks git storage installed.", [global],
            (p, ct) => new UninstallCommand(context).RunAsync(p.GetValue(global), ct), context));
        var patterns = new Argument<string[]>("pattern") { Arity = ArgumentArity.ZeroOrMore, Description = "Patterns such as \"*.bin\"." };
        root.Subcommands.Add(Verb("track", "Track files matching patterns with LFS (.gitattributes).", [patterns],
            (p, ct) => new TrackCommand(context).RunAsync(p.GetValue(patterns) ?? [], ct), context));

        root.Subcommands.Add(Verb("filter-process", "Git's long-running filter (started by git).", [],
            (_, ct) => new FilterProcessCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("clean", "Single-file clean filter (started by git).", [paths],
            (_, ct) => new CleanCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("smudge", "Single-file smudge filter (started by git).", [paths],
            (_, ct) => new SmudgeCommand(context).RunAsync(ct), context));

        var pushRemote = new Argument<string>("remote");
        var pushUrl = new Argument<string?>("url") { Arity = ArgumentArity.ZeroOrOne };
        root.Subcommands.Add(Verb("pre-push", "Hook: upload the LFS objects of the commits being pushed.", [pushRemote, pushUrl],
            (p, ct) => new PrePushCommand(context).RunAsync(p.GetValue(pushRemote)!, p.GetValue(pushUrl), ct), context));
        root.Subcommands.Add(Verb("post-checkout", "Hook: download and check out what a checkout left as pointers.", [hookArgs],
            (p, ct) => new PostCheckoutCommand(context).RunAsync(p.GetValue(hookArgs) ?? [], ct), context));
        root.Subcommands.Add(Verb("post-merge", "Hook: download and check out what a merge brought.", [hookArgs],
            (_, ct) => new PostMergeCommand(context).RunAsync(ct), context));
        root.Subcommands.Add(Verb("post-rewrite", "Hook: download and check out after a rebase or amend.", [hookArgs],
            (_, ct) => new PostRewriteCommand(context).RunAsync(ct), context));

        root.Subcommands.Add(Verb("pull", "Download the objects the work tree needs and check them out.", [remote],
            (p, ct) => new PullCommand(context).RunAsync(p.GetValue(remote), ct), context));
        root.Subcommands.Add(Verb("fetch", "Download objects into the local cache only.", [remote, refs, all],
            (p, ct) => new FetchCommand(context).RunAsync(p.GetValue(remote), p.GetValue(refs) ?? [], p.GetValue(all), ct), context));
        root.Subcommands.Add(Verb("push", "Upload objects to the LFS server.", [remote, refs, all],
            (p, ct) => new PushCommand(context).RunAsync(p.GetValue(remote), p.GetValue(refs) ?? [], p.GetValue(all), ct), context));
        root.Subcommands.Add(Verb("status", "Which tracked files are pointers, which are data, and what is not yet pushed.", [],
            (_, ct) => new StatusCommand(context).RunAsync(ct), context));
        var longOption = new Option<bool>("--long", "-l") { Description = "Show whole object ids." };
        var reference = new Argument<string?>("ref") { Arity = ArgumentArity.ZeroOrOne };
        root.Subcommands.Add(Verb("ls-files", "List the LFS files of a commit (default HEAD).", [reference, longOption],
            (p, ct) => new LsFilesCommand(context).RunAsync(p.GetValue(reference), p.GetValue(longOption), ct), context));
        root.Subcommands.Add(Verb("env", "Show the endpoint, auth and paths in use.", [],
            (_, ct) => new EnvCommand(context).RunAsync(ct), context));
        return root;
    }

    private static Command Verb(string name, string description, IEnumerable<Symbol> symbols, Func<ParseResult, CancellationToken, Task<int>> action, ICommandContext context)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    command.Options.Add(option);
                    break;
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
            }
        }
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (UserException ex)
            {
                await context.Error.WriteLineAsync($"git-storage {name}: {ex.Message}");
                return 2;
            }
        });
        return command;
    }
}
