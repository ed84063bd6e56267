using System.Globalization;
using System.Text;

namespace GitHooks.Git;

/// <summary>One object read by <c>git cat-file --batch</c>: its name, type and (small) content.</summary>
public sealed record GitObject(string Name, string Type, byte[]? Content);

/// <summary>
/// Streams object names into <c>git cat-file --batch</c> and reads the answers back. Writing
/// happens on its own task so neither side's pipe can fill up and deadlock. Contents larger
/// than <paramref name="maxContent"/> are skipped unread into memory (they cannot be pointers).
/// </summary>
public static class CatFileBatch
{
    public static async IAsyncEnumerable<GitObject> ReadAsync(GitRunner git, IAsyncEnumerable<string> names, int maxContent,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var process = git.Start(["cat-file", "--batch"]);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var writer = Task.Run(async () =>
        {
            try
            {
                var stdin = process.StandardInput.BaseStream;
                await foreach (var name in names.WithCancellation(cancellationToken))
                {
                    await stdin.WriteAsync(Encoding.ASCII.GetBytes(name + "\n"), cancellationToken);
                }
                await stdin.FlushAsync(cancellationToken);
            }
            finally
            {
                process.StandardInput.Close();
            }
        }, cancellationToken);

        var stdout = new BufferedStream(process.StandardOutput.BaseStream, 1 << 16);
        var scratch = new byte[1 << 16];
        while (await ReadLineAsync(stdout, cancellationToken) is { } header)
        {
            var parts = header.Split(' ');
            if (parts.Length < 3)
            {
                continue; // "<name> missing"
            }
            var size = long.Parse(parts[2], CultureInfo.InvariantCulture);
            byte[]? content = null;
            if (size <= maxContent)
            {
                content = new byte[size];
                await stdout.ReadExactlyAsync(content, cancellationToken);
            }
            else
            {
                for (var left = size; left > 0;)
                {
                    var read = await stdout.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, left)), cancellationToken);
                    if (read == 0)
                    {
                        throw new EndOfStreamException("git cat-file ended early");
                    }
                    left -= read;
                }
            }
            await ReadLineAsync(stdout, cancellationToken); // the LF after the content
            yield return new GitObject(parts[0], parts[1], content);
        }
        await writer;
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new GitException($"git cat-file --batch failed: {(await stderr).Trim()}");
        }
    }

    /// <summary>Reads up to LF (exclusive) from a binary stream; null at end of stream.</summary>
    internal static async Task<string?> ReadLineAsync(Stream stream, CancellationToken cancellationToken)
    {
        var bytes = new List<byte>(96);
        var one = new byte[1];
        while (true)
        {
            var read = await stream.ReadAsync(one, cancellationToken);
            if (read == 0)
            {
                return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
            }
            if (one[0] == (byte)'\n')
            {
                return Encoding.UTF8.GetString([.. bytes]);
            }
            bytes.Add(one[0]);
        }
    }
}
