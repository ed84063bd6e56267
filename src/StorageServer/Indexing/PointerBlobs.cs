using System.Diagnostics;
using System.Globalization;
using System.Text;
using StorageServer.Git;
using StorageServer.Protocol.Pointers;

namespace StorageServer.Indexing;

/// <summary>
/// Reads blobs that may be LFS pointers (or DVC metadata) through one <c>git cat-file --batch --buffer</c>,
/// streamed one record at a time, and keeps those that parse. Shared by the pointer index, retention's
/// tip reader and erasure's tree reader, so pointer recognition is the same everywhere.
/// </summary>
public static class PointerBlobs
{
    /// <summary>The pointers among <paramref name="blobs"/> (by blob sha); blobs that are not pointers, or missing, are absent.</summary>
    public static Task<Dictionary<string, LfsPointer>> ReadAsync(
        GitProcess git, string gitDir, IReadOnlyCollection<string> blobs, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken) =>
        ReadAsync(git, gitDir, blobs, environment, content => LfsPointer.TryParse(content, out var pointer) ? pointer : null, cancellationToken);

    /// <summary>
    /// Each of <paramref name="blobs"/> read through <paramref name="parse"/>, one record at a time;
    /// blobs it returns null for, or that are missing, are absent.
    /// </summary>
    public static async Task<Dictionary<string, T>> ReadAsync<T>(
        GitProcess git, string gitDir, IReadOnlyCollection<string> blobs, IReadOnlyDictionary<string, string>? environment,
        Func<byte[], T?> parse, CancellationToken cancellationToken)
        where T : class
    {
        var parsed = new Dictionary<string, T>(StringComparer.Ordinal);
        if (blobs.Count == 0)
        {
            return parsed;
        }
        using var process = git.Start(gitDir, ["cat-file", "--batch", "--buffer"], redirectInput: true, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var feed = GitPipes.WriteLinesAsync(process, blobs, cancellationToken);
        var reader = new GitOutputReader(process.StandardOutput.BaseStream);
        while (await reader.ReadRecordAsync((byte)'\n', cancellationToken) is { } header)
        {
            var parts = Encoding.ASCII.GetString(header).Split(' ');
            if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                // "<sha> missing": nothing follows.
                continue;
            }
            var content = await reader.ReadExactlyAsync(size + 1, cancellationToken);
            if (parse(content[..size]) is { } value)
            {
                parsed[parts[0]] = value;
            }
        }
        await feed;
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? parsed
            : throw new InvalidOperationException($"git cat-file --batch failed ({process.ExitCode}): {(await errors).Trim()}");
    }
}

/// <summary>Feeding and stopping git processes that are read as streams.</summary>
internal static class GitPipes
{
    /// <summary>Writes <paramref name="lines"/> to stdin and closes it, in the background so stdout can be read meanwhile.</summary>
    public static Task WriteLinesAsync(Process process, IEnumerable<string> lines, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var input = process.StandardInput;
        try
        {
            foreach (var line in lines)
            {
                await input.WriteAsync((line + "\n").AsMemory(), cancellationToken);
            }
            input.Close();
        }
        catch (IOException)
        {
            // The process exited early; its exit code and stderr tell why.
        }
    }, cancellationToken);

    public static void Kill(params Process[] processes)
    {
        foreach (var process in processes)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already exited.
            }
        }
    }
}
