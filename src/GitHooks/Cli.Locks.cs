using System.CommandLine;
using GitHooks.Commands;

namespace GitHooks;

public static partial class Cli
{
    private static void AddLockVerbs(RootCommand root, ICommandContext context)
    {
        Option<string?> Remote() => new("--remote", "-r") { Description = "The remote whose LFS server holds the locks (default: the current branch's, else origin)." };
        Option<bool> Json() => new("--json") { Description = "Print JSON for scripts." };

        var lockPaths = new Argument<string[]>("path") { Arity = ArgumentArity.OneOrMore, Description = "Files to lock." };
        var lockRemote = Remote();
        var lockJson = Json();
        root.Subcommands.Add(Verb("lock", "Lock files on the server so others cannot push changes to them.", [lockPaths, lockRemote, lockJson],
            (p, ct) => new LockCommand(context).RunAsync(p.GetValue(lockPaths) ?? [], p.GetValue(lockRemote), p.GetValue(lockJson), ct), context));

        var unlockPaths = new Argument<string[]>("path") { Arity = ArgumentArity.ZeroOrMore, Description = "Files to unlock." };
        var id = new Option<string?>("--id", "-i") { Description = "Unlock the lock with this id instead of naming paths." };
        var force = new Option<bool>("--force", "-f") { Description = "Unlock even someone else's lock (needs admin access)." };
        var unlockRemote = Remote();
        var unlockJson = Json();
        root.Subcommands.Add(Verb("unlock", "Release locks (yours, or anyone's with --force).", [unlockPaths, id, force, unlockRemote, unlockJson],
            (p, ct) => new UnlockCommand(context).RunAsync(p.GetValue(unlockPaths) ?? [], p.GetValue(id), p.GetValue(force), p.GetValue(unlockRemote), p.GetValue(unlockJson), ct), context));

        var path = new Option<string?>("--path", "-p") { Description = "Only the lock of this file." };
        var lockId = new Option<string?>("--id", "-i") { Description = "Only the lock with this id." };
        var verify = new Option<bool>("--verify") { Description = "Ask the server which locks are yours (marked O)." };
        var limit = new Option<int?>("--limit", "-l") { Description = "At most this many locks." };
        var locksRemote = Remote();
        var locksJson = Json();
        root.Subcommands.Add(Verb("locks", "List the locks on the server.", [path, lockId, verify, limit, locksRemote, locksJson],
            (p, ct) => new LocksCommand(context).RunAsync(new LocksRequest(p.GetValue(path), p.GetValue(lockId), p.GetValue(verify), p.GetValue(limit),
                p.GetValue(locksRemote), p.GetValue(locksJson)), ct), context));
    }
}
