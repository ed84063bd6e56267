namespace StorageServer.EndToEnd.Tests.Erasure;

/// <summary>One request of the corpus test: who, and what to look for.</summary>
internal sealed record CorpusRequest(string Subject, bool CaseInsensitive, string[] Identifiers);

/// <summary>
/// The corpus files (<c>tests/oracles/corpus</c>) on two branches, and what every branch must hold
/// after a sequence of requests, computed by the independent oracle (never the server's matcher):
/// each request's records gone, every other byte as it was.
/// </summary>
internal sealed class ErasureCorpus(GitSandbox git, string url)
{
    public static readonly string[] RecordFiles = ["customers.csv", "people.tsv", "events.jsonl"];
    public const string Photo = "data/customers/c1042/photo.bin";
    public const string AddedOnMain = "\nc9000,Zed New,zed@example.com,,2024-07-07\n";

    private readonly Dictionary<string, Dictionary<string, byte[]>> _originals = new(StringComparer.Ordinal);

    public static string CorpusFile(string name) => Path.Combine(RepoRoot.Path, "tests", "oracles", "corpus", name);

    /// <summary>Pushes: <c>release</c> and tag <c>v1</c> at the corpus as it is; <c>main</c> one commit later with a record added to customers.csv.</summary>
    public void Push()
    {
        var work = git.PathOf("corpus-work");
        git.Run(git.Root, "clone", url, work);
        git.Run(work, "lfs", "track", "*.csv", "*.tsv", "*.jsonl", "*.bin");
        foreach (var name in RecordFiles)
        {
            File.Copy(CorpusFile(name), Path.Combine(work, name));
        }
        TestFiles.Write(Path.Combine(work, Photo), 3000, seed: 77);
        git.Run(work, "add", "-A");
        git.Run(work, "commit", "-m", "corpus");
        git.Run(work, "branch", "release");
        git.Run(work, "tag", "v1");
        Remember("release", work);
        File.AppendAllText(Path.Combine(work, "customers.csv"), AddedOnMain);
        git.Run(work, "commit", "-am", "one more customer");
        Remember("main", work);
        git.Run(work, "push", "origin", "main", "release", "v1");
    }

    /// <summary>A stock git-lfs clone of every branch must succeed, and each record file must be what the oracle says after <paramref name="applied"/>.</summary>
    public async Task CloneEveryBranchAsync(string label, IReadOnlyList<CorpusRequest> applied)
    {
        foreach (var (branch, originals) in _originals)
        {
            var clone = git.PathOf($"clone-{label}-{branch}");
            var run = git.TryRun(git.Root, "clone", "-b", branch, url, clone);
            Assert.True(run.Succeeded, $"{label}: git clone -b {branch} failed:\n{run.Output}\n{run.Error}");
            foreach (var (name, original) in originals)
            {
                var expected = await ExpectedAsync(original, name, applied);
                var actual = await File.ReadAllBytesAsync(Path.Combine(clone, name));
                Assert.True(expected.AsSpan().SequenceEqual(actual),
                    $"{label}, {branch}:{name} after {string.Join(", ", applied.Select(a => a.Subject))}\nexpected:\n{System.Text.Encoding.UTF8.GetString(expected)}\nactual:\n{System.Text.Encoding.UTF8.GetString(actual)}");
            }
            Assert.Equal(applied.Count == 0, File.Exists(Path.Combine(clone, Photo)));
        }
    }

    private void Remember(string branch, string work) =>
        _originals[branch] = RecordFiles.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(work, n)), StringComparer.Ordinal);

    private async Task<byte[]> ExpectedAsync(byte[] original, string name, IReadOnlyList<CorpusRequest> applied)
    {
        var current = original;
        var file = Path.Combine(git.Root, "oracle-" + Guid.NewGuid().ToString("N") + Path.GetExtension(name));
        foreach (var request in applied)
        {
            await File.WriteAllBytesAsync(file, current);
            current = (await ErasureOracle.RedactAsync(ErasureOracle.FormatOf(name), file, request.CaseInsensitive, request.Identifiers)).Expected;
        }
        File.Delete(file);
        return current;
    }
}
