using Microsoft.EntityFrameworkCore;
using StorageServer.Data;
using StorageServer.Dvc.Objects;
using StorageServer.Git;
using StorageServer.Indexing;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// The DVC half of the push check on the whole trees of the pushed tips, as
/// <see cref="PointerScanner.ScanTipTreesAsync"/> and <see cref="LfsObjectCheck.FindLostAsync"/> are
/// for LFS: a push may point a ref at a commit the repository already has (a new branch or tag at an
/// old commit, a force-push back to one), whose <c>.dvc</c> files and <c>dvc.lock</c>s are not in the
/// new commits that <see cref="DvcPushCheck"/> checks. Their outputs resolve through this
/// repository's MD5 map, directories through their manifests; a trashed claim whose bytes are still
/// stored is put back before the push is accepted (git creates the ref only after this check, so a
/// sweep in between would find no ref keeping it), and an output whose data this repository had but
/// lost for good (swept, erased) is reported. Outputs it never had uploaded are not mapped, so not
/// reported here: the new-commit check keeps its rules for those.
/// </summary>
public sealed class DvcTipCheck(
    StorageDbContext db, GitProcess git, DvcTipPointers tipPointers, DvcPointerResolver resolver, LfsObjectCheck objects)
{
    /// <param name="environment">git's quarantine variables: the pushed objects are visible only through them.</param>
    public async Task<IReadOnlyList<DvcOutputEntry>> FindLostAsync(
        long repositoryId, string gitDir, IReadOnlyList<string> tips, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        // Only outputs this repository had uploaded can be lost, so a repository without any DVC
        // upload (every pure git-lfs one) has nothing to find: its tips' trees are not listed.
        if (!await db.Set<DvcObject>().AnyAsync(o => o.RepositoryId == repositoryId, cancellationToken))
        {
            return [];
        }
        var files = new Dictionary<string, List<(string Path, string Blob)>>(StringComparer.Ordinal);
        foreach (var (tip, tree) in await TreesAsync(gitDir, tips, environment, cancellationToken))
        {
            files[tip] = await TreeFiles.ListAsync(git, gitDir, tree, tipPointers.IsMetadata, environment, cancellationToken);
        }
        var outputs = (await tipPointers.ReadOutputsAsync(gitDir, files, environment, cancellationToken))
            .SelectMany(t => t.Value.Select(p => new DvcOutputEntry(t.Key, p.Dvc!.Output) { AtTip = true }))
            .ToList();
        if (outputs.Count == 0)
        {
            return [];
        }
        var stored = await resolver.ResolveAsync(repositoryId, outputs.Select(o => o.Output).Distinct().ToList(), cancellationToken);
        var lost = await objects.FindLostOidsAsync(repositoryId, stored.Select(p => p.Oid).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        var lostOutputs = stored.Where(p => lost.Contains(p.Oid)).Select(p => p.Output).ToHashSet();
        return outputs.Where(o => lostOutputs.Contains(o.Output)).ToList();
    }

    /// <summary>The tree of each tip that peels to one (a tag to a blob has none): <c>cat-file --batch-check</c> of <c>tip^{tree}</c>.</summary>
    private async Task<List<(string Tip, string Tree)>> TreesAsync(
        string gitDir, IReadOnlyList<string> tips, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var distinct = tips.Distinct(StringComparer.Ordinal).ToList();
        using var process = git.Start(gitDir, ["cat-file", "--batch-check=%(objectname) %(objecttype)", "--buffer"], redirectInput: true, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var feed = GitPipes.WriteLinesAsync(process, distinct.Select(t => t + "^{tree}").ToList(), cancellationToken);
        var trees = new List<(string, string)>();
        foreach (var tip in distinct)
        {
            // "<tree> tree", or "<tip>^{tree} missing" when it does not peel to a tree.
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("git cat-file --batch-check ended early");
            var parts = line.Split(' ');
            if (parts.Length == 2 && parts[1] == "tree")
            {
                trees.Add((tip, parts[0]));
            }
        }
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        return trees;
    }
}
