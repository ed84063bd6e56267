namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// The oracle itself, on small histories whose answers are worked out by hand from the spec: real
/// git and git-lfs pushing to a local bare repository, no server. If the oracle were wrong, the
/// model-based test would accuse a right server or excuse a wrong one.
/// </summary>
public sealed class RetentionOracleTests : IDisposable
{
    private static readonly HoldOp[] NoHolds = [];
    private readonly GitSandbox _git = new();
    private readonly ObjectPool _pool = new([100, 200, 300, 400, 500]);

    [Fact]
    public void Branches_and_tags_at_any_depth_tags_of_tags_tags_of_blobs_and_noncanonical_pointers_keep_their_objects()
    {
        var (local, repo, oracle) = Repository([new PolicySpec(null, null, null, null, 1, null, null)]);
        Push(local, repo, 0,
            new CommitOp("main", [Set("data/a.bin", 0, PointerForm.Crlf), Set("keep/a.dat", 4, PointerForm.NegativeSize)]),
            new CommitOp("feature/x/y", [Set("scratch/x.bin", 1)]),
            new TagOp("v1", TagKind.Annotated, "feature/x/y", null, null),
            new TagOp("v1-signed", TagKind.OfTag, "main", "v1", null),
            new AmendOp("feature/x/y", [Set("scratch/x.bin", 2, PointerForm.BlankLines)]),
            new TagOp("snap/blob", TagKind.OfBlob, "main", null, new FileValue(3, PointerForm.PlusSize)));
        Push(local, repo, 1, new DeleteTagOp("v1"));

        Assert.Contains("refs/tags/v1-signed at scratch/x.bin", Verdict(oracle, repo, 1, 9).Why, StringComparison.Ordinal);
        foreach (var index in new[] { 0, 1, 2, 3 })
        {
            Assert.Equal(KeepReason.Tip, Verdict(oracle, repo, index, 9).Reason);
        }
        // git-lfs rejects a negative size: not a pointer, never uploaded, no claim.
        Assert.DoesNotContain(_pool.Oids[4], repo.Claims.Keys);
    }

    [Fact]
    public void A_narrowed_rule_releases_only_the_occurrences_in_its_scope_and_the_clock_runs_from_the_push()
    {
        var (local, repo, oracle) = Repository(
        [
            new PolicySpec(null, ["refs/heads/main"], null, null, null, null, null),
            new PolicySpec(null, null, null, "scratch/**", 1, null, null),
        ]);
        Push(local, repo, 0, new CommitOp("main", [Set("scratch/x.bin", 0), Set("keep/a.dat", 0), Set("data/a.bin", 1)]));
        Push(local, repo, 1,
            new CommitOp("main", [Remove("scratch/x.bin"), Remove("keep/a.dat"), Remove("data/a.bin"), Set("w.bin", 2)]),
            new CommitOp("feature/x", [Set("scratch/x.bin", 3)]));

        // O3 is only at the tip of an unprotected branch, first seen at the push on day 1.2: the
        // one-day rule releases it at 2.2, the one-day upload grace ends at 2.2 too.
        Assert.Equal(KeepReason.Grace, Verdict(oracle, repo, 3, 1.5).Reason);
        Assert.Equal(VerdictKind.Unknown, Verdict(oracle, repo, 3, 2.25).Kind);
        Assert.Equal(VerdictKind.Delete, Verdict(oracle, repo, 3, 2.5).Kind);
        // O0's occurrence at scratch/x.bin is released, the one at keep/a.dat has no rule: kept.
        Assert.Contains("keep/a.dat): no history rule applies", Verdict(oracle, repo, 0, 5.5).Why, StringComparison.Ordinal);
        Assert.Equal(KeepReason.History, Verdict(oracle, repo, 1, 5.5).Reason);
        Assert.Equal(KeepReason.Tip, Verdict(oracle, repo, 2, 5.5).Reason);
        Assert.Equal(KeepReason.Hold, oracle.Evaluate(repo, _pool.Oids[3], 5.5, [new HoldPath("*.bin", null)]).Reason);
        Assert.Equal(VerdictKind.Delete, oracle.Evaluate(repo, _pool.Oids[3], 5.5, [new HoldPath("keep/**", null), new HoldOid(0)]).Kind);
    }

    [Fact]
    public void Keep_last_versions_walks_the_refs_it_names_and_skips_commits_without_the_path()
    {
        var (local, repo, oracle) = Repository(
        [
            new PolicySpec(null, ["refs/heads/main"], null, null, null, null, null),
            new PolicySpec(null, null, "refs/heads/main", null, null, 1, null),
        ]);
        Push(local, repo, 0, new CommitOp("main", [Set("data/a.bin", 0)]), new BranchOp("old", "main", 0));
        Push(local, repo, 1, new CommitOp("main", [Set("data/a.bin", 1)]), new CommitOp("main", [Set("data/a.bin", 2)]));
        Push(local, repo, 2, new CommitOp("main", [Remove("data/a.bin"), Set("w.bin", 3)]));

        Assert.Contains("among the last 1 versions", Verdict(oracle, repo, 2, 9).Why, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Delete, Verdict(oracle, repo, 1, 9).Kind);
        // O0 is also at refs/heads/old, which the refGlob does not name: that pair has no rule.
        Assert.Contains("(refs/heads/old,", Verdict(oracle, repo, 0, 9).Why, StringComparison.Ordinal);
        Assert.Equal(VerdictKind.Keep, Verdict(oracle, repo, 0, 9).Kind);
    }

    public void Dispose() => _git.Dispose();

    private (LocalRepository, OracleRepo, RetentionOracle) Repository(IReadOnlyList<PolicySpec> policies)
    {
        var bare = _git.CreateBareRemote();
        var repo = new OracleRepo(0, bare, policies, new GitFacts(_git));
        return (new LocalRepository(_git, _git.PathOf("work"), "file://" + bare, _pool, new LocalHistory(0)), repo, new RetentionOracle([repo], _pool));
    }

    private static void Push(LocalRepository local, OracleRepo repo, int day, params RepoOp[] ops)
    {
        foreach (var op in ops)
        {
            local.History.Apply(op);
        }
        local.WriteAndPush(day);
        repo.Observe(day + 0.2, pushed: true);
    }

    private Verdict Verdict(RetentionOracle oracle, OracleRepo repo, int index, double now)
    {
        repo.Observe(now, pushed: false);
        return oracle.Evaluate(repo, _pool.Oids[index], now, NoHolds);
    }

    private static Edit Set(string path, int index, PointerForm form = PointerForm.Canonical) => new(path, new FileValue(index, form));

    private static Edit Remove(string path) => new(path, null);
}
