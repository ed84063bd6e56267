using System.Globalization;
using System.Text;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// A real clone with git-lfs's hooks: <see cref="LocalHistory"/>'s new commits and tags are written
/// with one <c>git fast-import</c> (another for annotated tags), refs set with one
/// <c>git update-ref --stdin</c>, the large files put in <c>.git/lfs/objects</c>, and everything
/// sent with one <c>git push</c>, whose pre-push hook (the real git-lfs) uploads the objects.
/// Pointer files are committed byte for byte, so non-canonical ones reach the server as written.
/// </summary>
public sealed class LocalRepository
{
    private const string ImportRef = "refs/oracle/import";
    private const string Attributes = "*.bin filter=lfs diff=lfs merge=lfs -text\n*.dat filter=lfs diff=lfs merge=lfs -text\n";
    private readonly GitSandbox _git;
    private readonly ObjectPool _pool;
    private Dictionary<string, string> _pushed = new(StringComparer.Ordinal);
    private int _seconds;

    public LocalRepository(GitSandbox git, string path, string remoteUrl, ObjectPool pool, LocalHistory history)
    {
        _git = git;
        _pool = pool;
        Path = path;
        History = history;
        git.Run(git.Root, "init", "-q", path);
        git.Run(path, "lfs", "install", "--local");
        git.Run(path, "remote", "add", "origin", remoteUrl);
        git.Run(path, "config", "lfs.locksverify", "false");
    }

    public string Path { get; }

    public LocalHistory History { get; }

    /// <summary>
    /// The objects DVC-tracked files name in the commits about to be written and at every branch and
    /// tag: what <c>dvc push --all-branches --all-tags</c> (from <c>dvc install</c>'s pre-push hook) sends.
    /// </summary>
    public IReadOnlyList<int> DvcObjects() =>
        [.. History.NewCommits.Select(c => c.Tree).Concat(History.Branches.Values.Select(b => b.Tree))
            .Concat(History.Tags.Values.Select(Target).OfType<LocalCommit>().Select(c => c.Tree))
            .SelectMany(t => t.Values).Where(v => v.Form == PointerForm.Dvc).Select(v => v.Object).Distinct().Order()];

    private static LocalCommit? Target(LocalTag tag) => tag.Commit ?? (tag.Tag is { } inner ? Target(inner) : null);

    /// <summary>Writes the day's new objects and pushes every ref that changed; returns the refspecs pushed (none: no push).</summary>
    public IReadOnlyList<string> WriteAndPush(int day)
    {
        var blobs = new Dictionary<LocalTag, int>();
        var commits = new Dictionary<LocalCommit, int>();
        var marks = Import(Phase1(day, blobs, commits));
        foreach (var (commit, mark) in commits)
        {
            commit.Sha = marks[mark];
        }
        foreach (var (tag, mark) in blobs)
        {
            tag.Sha = marks[mark];
        }
        // fast-import updates a tag's ref as it writes it and refuses two updates of one ref: a name
        // tagged twice in one day starts a second run (its earlier object is already written).
        var pending = History.NewTags.Where(t => t.Annotated).ToList();
        while (pending.Count > 0)
        {
            var batch = pending.TakeWhile((t, i) => pending.Take(i).All(p => p.Name != t.Name)).ToList();
            pending.RemoveRange(0, batch.Count);
            var annotated = new Dictionary<LocalTag, int>();
            var tagMarks = Import(Phase2(day, batch, annotated));
            foreach (var (tag, mark) in annotated)
            {
                tag.Sha = tagMarks[mark];
            }
        }
        foreach (var value in History.NewCommits.SelectMany(c => c.Tree.Values).Concat(History.NewTags.Select(t => t.Blob).OfType<FileValue>()))
        {
            StoreLargeFile(value.Object);
        }
        var refs = History.Branches.ToDictionary(b => "refs/heads/" + b.Key, b => b.Value.Sha!, StringComparer.Ordinal);
        foreach (var tag in History.Tags.Values)
        {
            refs[tag.RefName] = tag.Annotated || tag.Blob is not null ? tag.Sha! : tag.Commit!.Sha + (tag.TreeOnly ? "^{tree}" : "");
        }
        var updates = string.Concat(refs.Select(r => $"update {r.Key} {r.Value}\n"))
            + string.Concat(_pushed.Keys.Where(r => !refs.ContainsKey(r)).Append(ImportRef).Select(r => $"delete {r}\n"));
        _git.TryRunWithInput(Path, updates, "update-ref", "--stdin").EnsureSuccess();
        History.NewCommits.Clear();
        History.NewTags.Clear();

        var specs = refs.Where(r => _pushed.GetValueOrDefault(r.Key) != r.Value).Select(r => $"+{r.Key}:{r.Key}")
            .Concat(_pushed.Keys.Where(r => !refs.ContainsKey(r)).Select(r => ":" + r)).ToList();
        if (specs.Count > 0)
        {
            _git.Run(Path, ["push", "--porcelain", "origin", .. specs]);
        }
        _pushed = refs;
        return specs;
    }

    private string Phase1(int day, Dictionary<LocalTag, int> blobs, Dictionary<LocalCommit, int> commits)
    {
        var stream = new StringBuilder();
        var mark = 0;
        foreach (var tag in History.NewTags.Where(t => t.Blob is not null))
        {
            blobs[tag] = ++mark;
            stream.Append(CultureInfo.InvariantCulture, $"blob\nmark :{mark}\n");
            Data(stream, Encoding.ASCII.GetString(_pool.PointerFile(tag.Blob!)));
        }
        foreach (var commit in History.NewCommits)
        {
            commits[commit] = ++mark;
            stream.Append(CultureInfo.InvariantCulture, $"reset {ImportRef}\ncommit {ImportRef}\nmark :{mark}\ncommitter {Signature(day)}\n");
            Data(stream, commit.Label);
            for (var i = 0; i < commit.Parents.Count; i++)
            {
                var parent = commit.Parents[i];
                stream.Append(i == 0 ? "from " : "merge ").Append(commits.TryGetValue(parent, out var m) ? $":{m}" : parent.Sha).Append('\n');
            }
            stream.Append("deleteall\nM 100644 inline .gitattributes\n");
            Data(stream, Attributes);
            foreach (var (path, value) in commit.Tree)
            {
                stream.Append(CultureInfo.InvariantCulture, $"M 100644 inline {ObjectPool.CommittedPath(path, value)}\n");
                Data(stream, Encoding.ASCII.GetString(_pool.PointerFile(value, path[(path.LastIndexOf('/') + 1)..])));
            }
        }
        return stream.ToString();
    }

    private string Phase2(int day, IEnumerable<LocalTag> tags, Dictionary<LocalTag, int> annotated)
    {
        var stream = new StringBuilder();
        foreach (var tag in tags)
        {
            annotated[tag] = annotated.Count + 1;
            var target = tag.Tag is { } inner ? (annotated.TryGetValue(inner, out var m) ? $":{m}" : inner.Sha)
                : tag.Blob is not null ? tag.Sha
                : tag.Commit!.Sha + (tag.TreeOnly ? "^{tree}" : "");
            stream.Append(CultureInfo.InvariantCulture, $"tag {tag.Name}\nmark :{annotated[tag]}\nfrom {target}\ntagger {Signature(day)}\n");
            Data(stream, tag.ToString());
        }
        return stream.ToString();
    }

    private Dictionary<int, string> Import(string stream)
    {
        if (stream.Length == 0)
        {
            return [];
        }
        var marksFile = System.IO.Path.Combine(Path, ".git", "oracle-marks");
        _git.TryRunWithInput(Path, stream, "fast-import", "--quiet", "--force", "--export-marks=" + marksFile).EnsureSuccess();
        return File.ReadAllLines(marksFile).Select(l => l.Split(' ')).ToDictionary(p => int.Parse(p[0][1..], CultureInfo.InvariantCulture), p => p[1]);
    }

    private void StoreLargeFile(int index)
    {
        var oid = _pool.Oids[index];
        var file = System.IO.Path.Combine(Path, ".git", "lfs", "objects", oid[..2], oid[2..4], oid);
        if (!File.Exists(file))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, _pool.Bytes(index));
        }
    }

    /// <summary>Deterministic author and time, so a seed gives the same commit ids every run.</summary>
    private string Signature(int day) =>
        $"Oracle <oracle@example.com> {1_700_000_000L + day * 86_400L + ++_seconds} +0000";

    private static void Data(StringBuilder stream, string text) =>
        stream.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(text)}\n").Append(text).Append('\n');
}
