using CsCheck;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// CsCheck generators of <see cref="Scenario"/>s. Names are drawn from small fixed sets chosen to
/// hit the corners of issue #10: slash-named branches and tags at several depths, globs with
/// <c>*</c> and <c>**</c>, paths sharing bytes inside and outside a narrowed policy's scope, and
/// pointer files written in every form git-lfs accepts (and two it rejects).
/// </summary>
public static class ScenarioGen
{
    /// <summary>Server setting the scenarios run with (<c>Retention:TrashWindow</c>), in days.</summary>
    public const int TrashWindowDays = 2;

    public static readonly string[] Branches = ["main", "dev", "feature/x/y", "feature/z", "scratch-1", "team/a/b"];
    public static readonly string[] Tags = ["v1", "releases/v1", "releases/2024/rc1", "v1-signed", "snap/tree", "snap/blob"];
    public static readonly string[] Paths = ["data/a.bin", "data/b.bin", "keep/a.dat", "scratch/x.bin", "scratch/deep/y.bin", "models/v1/w.bin", "w.bin"];

    /// <summary>
    /// Where a retrained model lands, as DVC users version one: commits that only put a new DVC
    /// version at this path (<see cref="Retrains"/>). Every scenario has a keepLastVersions rule on
    /// <c>models/**</c> (2 or 3, some scope), so the versions below a ref's tip are often kept by
    /// that rule alone, which a server counting DVC versions wrongly would delete.
    /// </summary>
    private const string ModelPath = "models/v1/w.bin";

    private static readonly string[] RefGlobs =
        ["refs/heads/scratch*", "refs/heads/feature/**", "refs/heads/feature/*", "refs/heads/main", "refs/tags/**", "refs/heads/team/*/b", "refs/heads/**", "refs/tags/releases/**"];
    private static readonly string[] PathGlobs = ["scratch/**", "*.bin", "keep/**", "data/*.bin", "**/deep/*.bin", "w.bin", "models/**", "*.dat"];
    private static readonly string[] HoldGlobs = ["*.dat", "scratch/**", "data/a.bin", "**/deep/*.bin", "w.bin"];
    private static readonly string[][] ServerProtectedRefs =
        [["refs/heads/main"], ["refs/heads/main", "refs/tags/**"], ["refs/heads/*", "refs/tags/*"], ["refs/heads/**"], ["refs/heads/**", "refs/tags/**"]];
    private static readonly string[][] RepoProtectedRefs = [["refs/heads/scratch-1"], ["refs/tags/releases/**"], ["refs/heads/feature/**"], ["refs/tags/snap/*"]];

    public static Gen<Scenario> Scenario { get; } =
        from repos in Gen.Int[2, 3]
        from sizes in Gen.Int[10, 1500].Array[6, 12]
        from policies in Policies(repos)
        from days in Days(repos, sizes.Length)
        select new Scenario(repos, [.. sizes, 64], policies, WithTail(days, repos, sizes.Length));

    private static Gen<PolicySpec[]> Policies(int repos) =>
        from serverProtect in Gen.Frequency((5, Gen.Const((string[]?)null)), (5, Gen.OneOf(ServerProtectedRefs).Select(r => (string[]?)r)))
        from repoProtect in Gen.Frequency((7, Gen.Const(((int, string[])?)null)), (3, Gen.Select(Gen.Int[0, repos - 1], Gen.OneOf(RepoProtectedRefs), (r, g) => ((int, string[])?)(r, g))))
        from history in Gen.Frequency((1, Gen.Const(Array.Empty<PolicySpec>())), (5, HistoryRule(repos).Array[1, 3]))
        from grace in Gen.Frequency((7, Gen.Const((PolicySpec?)null)), (3, Gen.Select(Scope(repos), Gen.OneOf(24, 48, 72), (s, h) => (PolicySpec?)new PolicySpec(s, null, null, null, null, null, h))))
        from models in Gen.Select(Scope(repos), Gen.Int[2, 3], (s, n) => new PolicySpec(s, null, null, "models/**", null, n, null))
        select new[]
            {
                serverProtect is null ? null : new PolicySpec(null, serverProtect, null, null, null, null, null),
                repoProtect is not { } rp ? null : new PolicySpec(rp.Item1, rp.Item2, null, null, null, null, null),
                grace,
                models,
            }
            .OfType<PolicySpec>().Concat(history).ToArray();

    private static Gen<PolicySpec> HistoryRule(int repos) =>
        from scope in Scope(repos)
        from keepDays in Gen.Frequency((3, Gen.Const((int?)null)), (7, Gen.Int[1, 5].Select(d => (int?)d)))
        from keepLast in Gen.Frequency((6, Gen.Const((int?)null)), (4, Gen.Int[1, 3].Select(n => (int?)n)))
        from refGlob in Gen.Frequency((6, Gen.Const((string?)null)), (4, Gen.OneOf(RefGlobs).Select(g => (string?)g)))
        from pathGlob in Gen.Frequency((5, Gen.Const((string?)null)), (5, Gen.OneOf(PathGlobs).Select(g => (string?)g)))
        select new PolicySpec(scope, null, refGlob, pathGlob, keepDays ?? (keepLast is null ? 2 : null), keepLast, null);

    private static Gen<int?> Scope(int repos) =>
        Gen.Frequency((4, Gen.Const((int?)null)), (6, Gen.Int[0, repos - 1].Select(r => (int?)r)));

    private static Gen<DayPlan[]> Days(int repos, int objects) =>
        from gaps in Gen.Int[1, 3].Array[2, 4]
        from plans in Gen.Select(Hold(repos, objects).Array[0, 1], RepoDays(repos, objects), Gen.Int[0, 9], Gen.Int[0, 9], (h, r, m, s) => (h, r, m, s)).Array[gaps.Length + 1]
        from firstCommits in Edits(objects).Array[repos]
        select plans.Select((p, i) => new DayPlan(
                gaps.Take(i).Sum(),
                p.h,
                i == 0 ? [.. Enumerable.Range(0, repos).Select(r => new RepoDay(r, [new CommitOp("main", firstCommits[r]), .. p.r.FirstOrDefault(d => d.Repo == r)?.Ops ?? []]))] : p.r,
                Mark: i > 0 && p.m < 6,
                Sweep: i > 0 && p.s < 3))
            .ToArray();

    private static Gen<RepoDay[]> RepoDays(int repos, int objects) =>
        Gen.Select(Op(objects).Array[0, 4], Retrains(objects), (ops, retrains) => ops.Length == 0 ? ops : ops.Concat(retrains).ToArray()).Array[repos].Select(perRepo => perRepo
            .Select((ops, r) => new RepoDay(r, ops)).Where(d => d.Ops.Count > 0).ToArray());

    private static Gen<RepoOp> Op(int objects)
    {
        var branch = Gen.OneOf(Branches);
        var notMain = Gen.OneOf(Branches[1..]);
        var tag = Gen.OneOf(Tags);
        return Gen.Frequency(
            (8, Gen.Select(branch, Edits(objects), (b, e) => (RepoOp)new CommitOp(b, e))),
            (1, Gen.Select(branch, branch, (a, b) => (RepoOp)new MergeOp(a, b))),
            (1, Gen.Select(notMain, branch, Gen.Int[0, 2], (b, f, k) => (RepoOp)new BranchOp(b, f, k))),
            (2, Gen.Select(branch, Gen.Int[1, 2], (b, k) => (RepoOp)new RewindOp(b, k))),
            (2, Gen.Select(branch, Edits(objects), (b, e) => (RepoOp)new AmendOp(b, e))),
            (2, notMain.Select(b => (RepoOp)new DeleteBranchOp(b))),
            (3, Gen.Select(tag, Gen.Enum<TagKind>(), branch, tag, File(objects), (t, k, b, o, f) => (RepoOp)new TagOp(t, k, b, o, f))),
            (1, tag.Select(t => (RepoOp)new DeleteTagOp(t))),
            (1, Gen.Int[0, FirstDvcObject(objects) - 1].Select(o => (RepoOp)new UploadOp(o))));
    }

    /// <summary>
    /// A model retrained two or three times on one branch, after the day's other operations (one
    /// repository-day with operations in three, so the number of pushes stays as it was): only a new
    /// DVC version at <see cref="ModelPath"/> each time.
    /// </summary>
    private static Gen<RepoOp[]> Retrains(int objects) => Gen.Frequency(
        (2, Gen.Const(Array.Empty<RepoOp>())),
        (1, Gen.Select(Gen.OneOf(Branches), Gen.Int[FirstDvcObject(objects), objects - 1].Array[2, 3],
            (b, versions) => versions.Select(o => (RepoOp)new CommitOp(b, [new Edit(ModelPath, new FileValue(o, PointerForm.Dvc))])).ToArray())));

    private static Gen<Edit[]> Edits(int objects) =>
        Gen.Select(Gen.OneOf(Paths), Gen.Int[0, 9], File(objects), (p, d, f) => new Edit(p, d == 0 ? null : f)).Array[1, 3];

    /// <summary>
    /// A file's value: four in ten are DVC-tracked, always on the pool's last objects
    /// (<see cref="FirstDvcObject"/>), which no LFS pointer or upload ever names; the rest are LFS
    /// pointer files of the other objects. So a DVC object is kept only by what DVC files say of it,
    /// and a server that lost DVC files from some rule cannot be saved by an LFS pointer to the same bytes.
    /// </summary>
    private static Gen<FileValue> File(int objects) => Gen.Frequency(
        (15, Gen.Select(Gen.Int[0, FirstDvcObject(objects) - 1], Gen.Frequency(
                (10, PointerForm.Canonical), (1, PointerForm.Crlf), (1, PointerForm.PlusSize), (1, PointerForm.BlankLines),
                (1, PointerForm.NegativeSize), (1, PointerForm.UpperCaseOid)),
            (o, f) => new FileValue(o, f))),
        (10, Gen.Int[FirstDvcObject(objects), objects - 1].Select(o => new FileValue(o, PointerForm.Dvc))));

    /// <summary>The first of the pool objects (of <paramref name="objects"/>, before the tail's orphan) that only DVC files name: the last two in five.</summary>
    public static int FirstDvcObject(int objects) => objects - ((2 * objects) + 2) / 5;

    private static Gen<HoldOp> Hold(int repos, int objects) => Gen.Frequency(
        (2, Gen.Int[0, objects - 1].Select(o => (HoldOp)new HoldOid(o))),
        (1, Gen.Int[0, repos - 1].Select(r => (HoldOp)new HoldRepo(r))),
        (2, Gen.Select(Gen.OneOf(HoldGlobs), Scope(repos), (g, r) => (HoldOp)new HoldPath(g, r))),
        (3, Gen.Int[0, 9].Select(w => (HoldOp)new ReleaseHold(w))));

    /// <summary>
    /// Every scenario ends the same way, so each one has objects the server must delete: holds
    /// released and a fresh orphan uploaded; a mark after the longest orphan grace (3 days); a
    /// sweep after the trash window.
    /// </summary>
    private static DayPlan[] WithTail(DayPlan[] days, int repos, int orphanObject)
    {
        var start = days[^1].Day + 8;
        return
        [
            .. days,
            new DayPlan(start, [new ReleaseAllHolds()], [new RepoDay(repos - 1, [new UploadOp(orphanObject)])], Mark: true, Sweep: false),
            new DayPlan(start + 4, [], [], Mark: true, Sweep: false),
            new DayPlan(start + 4 + TrashWindowDays + 1, [], [], Mark: false, Sweep: true),
        ];
    }
}
