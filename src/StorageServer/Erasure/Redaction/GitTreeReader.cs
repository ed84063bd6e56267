using System.Globalization;
using System.Text;
using StorageServer.Git;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Erasure.Redaction;

/// <summary>Reads which LFS pointers a commit holds at given paths, with two git processes per call whatever the number of paths.</summary>
public sealed class GitTreeReader(GitProcess git)
{
    private const int PathsPerCommand = 200;

    public async Task<List<string>> BranchesAsync(string gitDir, CancellationToken cancellationToken)
    {
        var result = (await git.RunAsync(gitDir, ["for-each-ref", "--format=%(refname)", "refs/heads/"], cancellationToken)).EnsureSuccess("for-each-ref");
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public async Task<string?> TipAsync(string gitDir, string branch, CancellationToken cancellationToken)
    {
        var result = await git.RunAsync(gitDir, ["rev-parse", "--verify", "--quiet", branch + "^{commit}"], cancellationToken);
        return result.Succeeded ? result.Output.Trim() : null;
    }

    /// <summary>The oid of the LFS pointer at each of <paramref name="paths"/> in <paramref name="commit"/> that holds one.</summary>
    public async Task<Dictionary<string, string>> PointersAtAsync(string gitDir, string commit, IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        var blobs = new Dictionary<string, List<string>>(StringComparer.Ordinal); // blob sha → paths
        foreach (var chunk in paths.Chunk(PathsPerCommand))
        {
            var listing = (await git.RunAsync(gitDir, ["ls-tree", "-l", "-z", "--full-tree", commit, "--", .. chunk], cancellationToken)).EnsureSuccess("ls-tree");
            foreach (var entry in listing.Output.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                // <mode> SP <type> SP <sha> SP+ <size> TAB <path>
                var tab = entry.IndexOf('\t', StringComparison.Ordinal);
                var fields = entry[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields[1] == "blob" && long.TryParse(fields[3], CultureInfo.InvariantCulture, out var size) && size <= LfsPointer.MaxSize)
                {
                    (blobs.TryGetValue(fields[2], out var list) ? list : blobs[fields[2]] = []).Add(entry[(tab + 1)..]);
                }
            }
        }
        var pointers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (blobs.Count == 0)
        {
            return pointers;
        }
        foreach (var (sha, content) in await ReadBlobsAsync(gitDir, blobs.Keys.ToList(), cancellationToken))
        {
            if (LfsPointer.TryParse(content, out var pointer))
            {
                foreach (var path in blobs[sha])
                {
                    pointers[path] = pointer.Oid.Value;
                }
            }
        }
        return pointers;
    }

    /// <summary>Small blobs through one <c>git cat-file --batch</c>, read as bytes.</summary>
    private async Task<List<(string Sha, byte[] Content)>> ReadBlobsAsync(string gitDir, List<string> shas, CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["cat-file", "--batch"], redirectInput: true);
        var writer = Task.Run(async () =>
        {
            foreach (var sha in shas)
            {
                await process.StandardInput.WriteAsync((sha + "\n").AsMemory(), cancellationToken);
            }
            process.StandardInput.Close();
        }, cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var output = process.StandardOutput.BaseStream;
        var blobs = new List<(string, byte[])>(shas.Count);
        foreach (var sha in shas)
        {
            var header = await ReadLineAsync(output, cancellationToken);
            var fields = header.Split(' ');
            if (fields.Length != 3 || fields[1] != "blob")
            {
                continue; // "<sha> missing": cannot happen for a listed blob, but never misparse the stream
            }
            var content = new byte[int.Parse(fields[2], CultureInfo.InvariantCulture)];
            await output.ReadExactlyAsync(content, cancellationToken);
            await output.ReadExactlyAsync(new byte[1], cancellationToken);
            blobs.Add((sha, content));
        }
        await writer;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git cat-file --batch failed: {(await stderr).Trim()}");
        }
        return blobs;
    }

    private static async Task<string> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (await stream.ReadAsync(one, cancellationToken) == 1 && one[0] != (byte)'\n')
        {
            line.Append((char)one[0]);
        }
        return line.ToString();
    }
}
