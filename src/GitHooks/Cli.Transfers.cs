using System.CommandLine;
using GitHooks.Commands;

namespace GitHooks;

public static partial class Cli
{
    private static void AddTransferVerbs(RootCommand root, ICommandContext context)
    {
        var all = new Option<bool>("--all") { Description = "Every object reachable from every local ref (fetch: ignores include/exclude)." };
        var remote = new Argument<string?>("remote") { Arity = ArgumentArity.ZeroOrOne, Description = "The remote (default: the current branch's, else origin)." };
        var refs = new Argument<string[]>("refs") { Arity = ArgumentArity.ZeroOrMore, Description = "Refs to work on (default: HEAD)." };

        var pullInclude = IncludeOption();
        var pullExclude = ExcludeOption();
        root.Subcommands.Add(Verb("pull", "Download the objects the work tree needs and check them out.", [remote, pullInclude, pullExclude],
            (p, ct) => new PullCommand(context).RunAsync(p.GetValue(remote), Given(p, pullInclude), Given(p, pullExclude), ct), context));

        var fetchInclude = IncludeOption();
        var fetchExclude = ExcludeOption();
        var fetchPrune = new Option<bool>("--prune", "-p") { Description = "Prune old and unreferenced objects afterwards (see prune)." };
        root.Subcommands.Add(Verb("fetch", "Download objects into the local cache only.", [remote, refs, all, fetchInclude, fetchExclude, fetchPrune],
            (p, ct) => new FetchCommand(context).RunAsync(new FetchRequest(p.GetValue(remote), p.GetValue(refs) ?? [], p.GetValue(all),
                Given(p, fetchInclude), Given(p, fetchExclude), p.GetValue(fetchPrune)), ct), context));

        root.Subcommands.Add(Verb("push", "Upload objects to the LFS server.", [remote, refs, all],
            (p, ct) => new PushCommand(context).RunAsync(p.GetValue(remote), p.GetValue(refs) ?? [], p.GetValue(all), ct), context));

        var dryRun = new Option<bool>("--dry-run", "-d") { Description = "Only report what would be deleted." };
        var verifyRemote = new Option<bool>("--verify-remote", "-c") { Description = "Ask the remote to confirm it has each object before deleting it (default: lfs.pruneverifyremotealways)." };
        var noVerifyRemote = new Option<bool>("--no-verify-remote") { Description = "Do not ask the remote, even with lfs.pruneverifyremotealways." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "List every object deleted (or that would be)." };
        root.Subcommands.Add(Verb("prune", "Delete local copies of LFS objects that are old, pushed and not checked out.", [dryRun, verifyRemote, noVerifyRemote, verbose],
            (p, ct) => new PruneCommand(context).RunAsync(new PruneRequest(p.GetValue(dryRun), p.GetValue(verifyRemote), p.GetValue(noVerifyRemote), p.GetValue(verbose)), ct), context));

        var checkoutPaths = new Argument<string[]>("path") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these paths or directories (default: the whole work tree)." };
        root.Subcommands.Add(Verb("checkout", "Replace pointer files with their data from the local cache (no download).", [checkoutPaths],
            (p, ct) => new CheckoutCommand(context).RunAsync(p.GetValue(checkoutPaths) ?? [], ct), context));
    }
}
