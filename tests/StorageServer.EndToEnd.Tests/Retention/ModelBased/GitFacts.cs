using System.Globalization;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// What git itself says about a bare repository on the server's disk: refs peeled fully
/// (<c>&lt;ref&gt;^{}</c>), histories (<c>git rev-list --topo-order</c>), the pointers in a tree
/// (<c>git ls-tree -r -l</c>), and which blobs are pointers (<c>git lfs pointer --check --stdin</c>,
/// the real client's own rule). A DVC-tracked file is a pointer at its data path: a <c>.dvc</c>
/// file's output, read here with a minimal parser of <c>dvc add</c>'s YAML (never the server's),
/// whose md5 <paramref name="dvcOid"/> knows (the scenario uploaded those bytes through the DVC remote).
/// Answers are cached by object id: git objects never change.
/// </summary>
public sealed class GitFacts(GitSandbox git, Func<string, string?>? dvcOid = null)
{
    private const int PointerSizeLimit = 1024;
    private readonly Dictionary<string, IReadOnlyList<string>> _histories = [];
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _pointers = [];
    private readonly Dictionary<string, string?> _blobs = [];
    private readonly Dictionary<string, IReadOnlyList<(string Path, string Md5)>> _dvcFiles = [];

    /// <summary>Git processes this instance started, for the runtime report.</summary>
    public int Processes { get; private set; }

    /// <summary>Every ref <c>git for-each-ref</c> lists, peeled to the commit, tree or blob at the end of its tag chain.</summary>
    public IReadOnlyList<PeeledRef> Refs(string repository)
    {
        var names = Git(repository, null, "for-each-ref", "--format=%(refname)").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return [];
        }
        var peeled = Git(repository, string.Concat(names.Select(n => n + "^{}\n")), "cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return [.. names.Zip(peeled, (name, line) => line.Split(' ') is [var sha, var type, var size]
            ? new PeeledRef(name, type, sha, long.Parse(size, CultureInfo.InvariantCulture))
            : throw new InvalidOperationException($"cannot peel {name}: {line}"))];
    }

    /// <summary><c>git rev-list --topo-order</c>: the commit's history, newest first.</summary>
    public IReadOnlyList<string> History(string repository, string commit)
    {
        if (!_histories.TryGetValue(commit, out var history))
        {
            history = Git(repository, null, "rev-list", "--topo-order", commit).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            _histories[commit] = history;
        }
        return history;
    }

    /// <summary>The LFS pointers in a commit's or tree's tree, at any depth: path → oid.</summary>
    public IReadOnlyDictionary<string, string> PointersIn(string repository, string treeish)
    {
        if (_pointers.TryGetValue(treeish, out var known))
        {
            return known;
        }
        var entries = new List<(string Path, string Blob, long Size)>();
        foreach (var line in Git(repository, null, "ls-tree", "-r", "-l", "--full-tree", treeish).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            // <mode> SP <type> SP <object> SP+ <size> TAB <path>
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var fields = line[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields[1] == "blob")
            {
                entries.Add((line[(tab + 1)..], fields[2], long.Parse(fields[3], CultureInfo.InvariantCulture)));
            }
        }
        Classify(repository, entries.Select(e => (e.Blob, e.Size)));
        var pointers = entries.Where(e => _blobs.GetValueOrDefault(e.Blob) is not null).ToDictionary(e => e.Path, e => _blobs[e.Blob]!, StringComparer.Ordinal);
        if (dvcOid is not null)
        {
            var dvcFiles = entries.Where(e => e.Path.EndsWith(".dvc", StringComparison.Ordinal) && e.Size < PointerSizeLimit).ToList();
            ReadDvcFiles(repository, dvcFiles.Select(e => e.Blob));
            foreach (var (path, blob, _) in dvcFiles)
            {
                var folder = path.LastIndexOf('/') is var slash and >= 0 ? path[..(slash + 1)] : "";
                foreach (var output in _dvcFiles[blob])
                {
                    if (dvcOid(output.Md5) is { } oid)
                    {
                        pointers[folder + output.Path] = oid;
                    }
                }
            }
        }
        _pointers[treeish] = pointers;
        return pointers;
    }

    /// <summary>The oid a blob points to when git-lfs takes it for a pointer, else null.</summary>
    public string? PointerOid(string repository, string blob, long size)
    {
        Classify(repository, [(blob, size)]);
        return _blobs[blob];
    }

    private void Classify(string repository, IEnumerable<(string Blob, long Size)> blobs)
    {
        var unknown = new List<string>();
        foreach (var (blob, size) in blobs.DistinctBy(b => b.Blob))
        {
            if (_blobs.ContainsKey(blob))
            {
                continue;
            }
            if (size >= PointerSizeLimit)
            {
                _blobs[blob] = null;
            }
            else
            {
                unknown.Add(blob);
            }
        }
        if (unknown.Count == 0)
        {
            return;
        }
        var batch = Git(repository, string.Concat(unknown.Select(b => b + "\n")), "cat-file", "--batch");
        var at = 0;
        foreach (var blob in unknown)
        {
            // <sha> SP <type> SP <size> LF <contents> LF
            var header = batch.IndexOf('\n', at);
            var size = int.Parse(batch[at..header].Split(' ')[2], CultureInfo.InvariantCulture);
            var content = batch.Substring(header + 1, size);
            at = header + 1 + size + 1;
            Processes++;
            var check = git.TryRunWithInput(repository, content, "lfs", "pointer", "--check", "--stdin");
            _blobs[blob] = check.ExitCode == 0 ? OidLine(content) : null;
        }
    }

    private void ReadDvcFiles(string repository, IEnumerable<string> blobs)
    {
        var unknown = blobs.Distinct().Where(b => !_dvcFiles.ContainsKey(b)).ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        var batch = Git(repository, string.Concat(unknown.Select(b => b + "\n")), "cat-file", "--batch");
        var at = 0;
        foreach (var blob in unknown)
        {
            var header = batch.IndexOf('\n', at);
            var size = int.Parse(batch[at..header].Split(' ')[2], CultureInfo.InvariantCulture);
            _dvcFiles[blob] = DvcOutputs(batch.Substring(header + 1, size));
            at = header + 1 + size + 1;
        }
    }

    /// <summary>
    /// The DVC 3 file outputs of a <c>.dvc</c> file as <c>dvc add</c> writes it (notes §2.3): list items
    /// under <c>outs:</c>, each with <c>md5</c>, <c>hash: md5</c> and a relative <c>path</c>.
    /// </summary>
    internal static IReadOnlyList<(string Path, string Md5)> DvcOutputs(string text)
    {
        var outputs = new List<(string, string)>();
        Dictionary<string, string>? item = null;
        void Close()
        {
            if (item is not null && item.GetValueOrDefault("hash") == "md5" && item.GetValueOrDefault("md5") is { Length: 32 } md5 && item.GetValueOrDefault("path") is { } path)
            {
                outputs.Add((path, md5));
            }
        }
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                Close();
                item = [];
                line = "  " + line[2..];
            }
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (item is not null && line.StartsWith("  ", StringComparison.Ordinal) && colon > 0)
            {
                item[line[..colon].Trim()] = line[(colon + 2)..].Trim();
            }
        }
        Close();
        return outputs;
    }

    /// <summary>The oid of a blob git-lfs accepted as a pointer (so exactly one such line exists).</summary>
    private static string OidLine(string pointer) =>
        pointer.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("oid sha256:", StringComparison.Ordinal))["oid sha256:".Length..];

    private string Git(string repository, string? stdin, params string[] arguments)
    {
        Processes++;
        var run = stdin is null ? git.TryRun(repository, arguments) : git.TryRunWithInput(repository, stdin, arguments);
        return run.EnsureSuccess().Output;
    }
}

/// <summary>A ref and the object at the end of its tag chain: <see cref="Type"/> is commit, tree or blob.</summary>
public sealed record PeeledRef(string Name, string Type, string Sha, long Size);
