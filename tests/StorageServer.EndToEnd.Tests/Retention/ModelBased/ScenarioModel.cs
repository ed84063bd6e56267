namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// One generated retention scenario: repositories sharing a pool of large files, policies fixed
/// before the first push, then days of pushes, holds, marks and sweeps. Everything is plain data,
/// so a failing seed prints as text (<see cref="ScenarioText"/>).
/// </summary>
public sealed record Scenario(
    int RepoCount, IReadOnlyList<int> ObjectSizes, IReadOnlyList<PolicySpec> Policies, IReadOnlyList<DayPlan> Days)
{
    public override string ToString() => ScenarioText.Describe(this);
}

/// <summary>A retention policy as the API takes it; <see cref="Repo"/> null is server scope.</summary>
public sealed record PolicySpec(
    int? Repo, IReadOnlyList<string>? ProtectedRefs, string? RefGlob, string? PathGlob, int? KeepDays, int? KeepLast, int? GraceHours)
{
    public bool IsHistoryRule => KeepDays is not null || KeepLast is not null;
}

/// <summary>What happens on one day, in this order: holds, pushes (one per repository), mark, sweep.</summary>
public sealed record DayPlan(int Day, IReadOnlyList<HoldOp> Holds, IReadOnlyList<RepoDay> Repos, bool Mark, bool Sweep);

/// <summary>The operations on one repository's clone that one push sends.</summary>
public sealed record RepoDay(int Repo, IReadOnlyList<RepoOp> Ops);

/// <summary>A file's content: pool object <see cref="Object"/> written as a pointer file in <see cref="Form"/>.</summary>
public sealed record FileValue(int Object, PointerForm Form);

/// <summary>One path of a commit: set to a value, or removed (<see cref="Value"/> null).</summary>
public sealed record Edit(string Path, FileValue? Value);

/// <summary>
/// How a pointer file is written. The first four are pointers git-lfs 3.3 accepts; the next two
/// look like pointers but git-lfs rejects them (the oracle never decides this itself: it asks
/// <c>git lfs pointer --check</c>). <see cref="Dvc"/> tracks the file with DVC instead: a
/// <c>&lt;path&gt;.dvc</c> file (DVC 3, one md5 output) is committed and the bytes go up through the
/// repository's DVC remote as DVC sends them.
/// </summary>
public enum PointerForm
{
    Canonical,
    Crlf,
    PlusSize,
    BlankLines,
    NegativeSize,
    UpperCaseOid,
    Dvc,
}

/// <summary>A legal hold placed or released at the start of a day.</summary>
public abstract record HoldOp;

/// <summary>A hold on one pool object everywhere.</summary>
public sealed record HoldOid(int Object) : HoldOp;

/// <summary>A hold on everything one repository claims or whose history names.</summary>
public sealed record HoldRepo(int Repo) : HoldOp;

/// <summary>A hold on a path glob, in one repository or (null) all.</summary>
public sealed record HoldPath(string Glob, int? Repo) : HoldOp;

/// <summary>Releases the <see cref="Which"/>-th active hold (modulo their count); nothing when none is active.</summary>
public sealed record ReleaseHold(int Which) : HoldOp;

/// <summary>Releases every active hold.</summary>
public sealed record ReleaseAllHolds : HoldOp;
