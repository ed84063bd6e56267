using System.Diagnostics;
using System.Text;
using System.Text.Json;
using StorageServer.Protocol.Pointers;
using StorageServer.TestSupport;

namespace StorageServer.Tests.Protocol;

/// <summary>
/// The pointer parser agrees with the real git-lfs 3.3 client on every case of <see cref="PointerCases"/>:
/// with <c>git lfs ls-files</c> (the client's own tree scan: which blobs are pointers, to which oid
/// and size) on all of them but size-0 pointers, with <c>git lfs pointer --check --stdin</c> on those under the 1024-byte
/// cutoff (the check reads the first 1024 bytes of longer input; an empty one it calls a pointer, the
/// tree scan does not), and on canonical form with <c>--check --strict</c>.
/// </summary>
public sealed class PointerRulesTests(PointerRulesTests.ClientAnswers client) : IClassFixture<PointerRulesTests.ClientAnswers>
{
    public static TheoryData<string> Names => [.. PointerCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void The_parser_sees_a_pointer_exactly_where_git_lfs_does(string name)
    {
        var bytes = PointerCases.All.Single(c => c.Name == name).Bytes;
        var answer = client.Answers[name];

        var parsed = LfsPointer.TryParse(bytes, out var pointer);

        // ls-files leaves size-0 pointers out (smudge turns them into empty files, nothing to fetch);
        // for those the pointer command alone speaks.
        if (!parsed || pointer!.Size > 0)
        {
            Assert.Equal(answer.Listed is not null, parsed);
        }
        if (answer.Listed is { } listed)
        {
            Assert.Equal((listed.Oid, listed.Size), (pointer!.Oid.Value, pointer.Size));
        }
        if (bytes.Length is > 0 and < LfsPointer.MaxSize)
        {
            Assert.Equal(answer.CheckExit == 0, parsed);
        }
        if (parsed && pointer!.Size > 0 && IsUtf8(bytes))
        {
            // --strict: 0 canonical, 2 a pointer but not canonical. (git-lfs encodes size 0 as no bytes at all.)
            Assert.Equal(answer.StrictExit == 0, LfsPointer.IsCanonical(bytes));
        }
    }

    [Fact]
    public void The_table_covers_pointers_near_misses_and_the_size_cutoff()
    {
        Assert.True(client.Answers.Values.Count(a => a.Listed is not null) >= 20);
        Assert.True(client.Answers.Values.Count(a => a.Listed is null) >= 30);
        Assert.Contains(client.Answers, a => a.Value.CheckExit == 0 && a.Value.Listed is null);
    }

    private static bool IsUtf8(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    /// <summary>What git-lfs says about each case: its tree scan of a commit holding every case, and the pointer command.</summary>
    public sealed class ClientAnswers : IDisposable
    {
        private readonly GitSandbox _git = new();

        public ClientAnswers()
        {
            var repo = _git.PathOf("cases");
            _git.Run(_git.Root, "init", "-q", repo);
            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < PointerCases.All.Count; i++)
            {
                var (name, bytes) = PointerCases.All[i];
                files[$"case-{i:000}.bin"] = name;
                File.WriteAllBytes(Path.Combine(repo, $"case-{i:000}.bin"), bytes);
            }
            _git.Run(repo, "add", "-A");
            _git.Run(repo, "commit", "-q", "-m", "cases");
            var listed = new Dictionary<string, (string, long)>(StringComparer.Ordinal);
            foreach (var file in JsonDocument.Parse(_git.Run(repo, "lfs", "ls-files", "--json").Output).RootElement.GetProperty("files").EnumerateArray())
            {
                listed[files[file.GetProperty("name").GetString()!]] = (file.GetProperty("oid").GetString()!, file.GetProperty("size").GetInt64());
            }
            foreach (var (name, bytes) in PointerCases.All)
            {
                Answers[name] = new Answer(
                    listed.TryGetValue(name, out var entry) ? entry : null,
                    PointerCommand(bytes, "--check", "--stdin"),
                    PointerCommand(bytes, "--check", "--strict", "--stdin"));
            }
        }

        public Dictionary<string, Answer> Answers { get; } = new(StringComparer.Ordinal);

        public void Dispose() => _git.Dispose();

        /// <summary>The exit code of <c>git lfs pointer …</c> given <paramref name="stdin"/> byte for byte.</summary>
        private int PointerCommand(byte[] stdin, params string[] options)
        {
            var start = new ProcessStartInfo("git") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _git.Root };
            foreach (var argument in new[] { "lfs", "pointer" }.Concat(options))
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var (key, value) in _git.Environment)
            {
                start.Environment[key] = value;
            }
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardInput.BaseStream.Write(stdin);
            process.StandardInput.Close();
            process.WaitForExit();
            _ = output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult();
            return process.ExitCode is 0 or 1 or 2 ? process.ExitCode
                : throw new InvalidOperationException($"git lfs pointer {string.Join(' ', options)} exited {process.ExitCode}: {Encoding.UTF8.GetString(stdin)}");
        }
    }

    public sealed record Answer((string Oid, long Size)? Listed, int CheckExit, int StrictExit);
}
