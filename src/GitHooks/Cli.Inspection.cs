using System.CommandLine;
using GitHooks.Commands;

namespace GitHooks;

public static partial class Cli
{
    private static void AddInspectionVerbs(RootCommand root, ICommandContext context)
    {
        root.Subcommands.Add(Verb("status", "Large-file changes to push, to commit and not staged, and files left as pointers.", [],
            (_, ct) => new StatusCommand(context).RunAsync(ct), context));

        var longOption = new Option<bool>("--long", "-l") { Description = "Show whole object ids." };
        var size = new Option<bool>("--size", "-s") { Description = "Show each object's size." };
        var all = new Option<bool>("--all", "-a") { Description = "Every LFS file in the history of every ref, not one commit." };
        var nameOnly = new Option<bool>("--name-only", "-n") { Description = "Show only the paths." };
        var include = IncludeOption();
        var exclude = ExcludeOption();
        var reference = new Argument<string?>("ref") { Arity = ArgumentArity.ZeroOrOne, Description = "The commit to list (default: HEAD and the index)." };
        root.Subcommands.Add(Verb("ls-files", "List LFS files: '*' data in the work tree, '-' a pointer.", [reference, longOption, size, all, nameOnly, include, exclude],
            (p, ct) => new LsFilesCommand(context).RunAsync(new LsFilesRequest(p.GetValue(reference), p.GetValue(longOption), p.GetValue(size),
                p.GetValue(all), p.GetValue(nameOnly), Given(p, include), Given(p, exclude)), ct), context));

        var objects = new Option<bool>("--objects") { Description = "Check that each object is in the local cache with the right SHA-256." };
        var pointers = new Option<bool>("--pointers") { Description = "Check that each pointer is canonical and each tracked file is stored as a pointer." };
        var revisions = new Argument<string?>("revision") { Arity = ArgumentArity.ZeroOrOne, Description = "A commit, or a range A..B (default: HEAD and the index)." };
        root.Subcommands.Add(Verb("fsck", "Check LFS objects and pointers for consistency; bad objects move to .git/lfs/bad.", [revisions, objects, pointers],
            (p, ct) => new FsckCommand(context).RunAsync(p.GetValue(revisions), p.GetValue(objects), p.GetValue(pointers), ct), context));
    }
}
