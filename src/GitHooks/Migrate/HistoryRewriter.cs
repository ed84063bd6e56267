using System.Globalization;
using GitHooks.Filtering;
using GitHooks.Git;

namespace GitHooks.Migrate;

/// <summary>
/// Rewrites history as <c>git lfs migrate</c> does, through git's own plumbing:
/// <c>git fast-export --no-data</c> of the chosen refs (commits outside the range stay as they are,
/// referenced by id), each commit's matching files converted (<see cref="BlobConverter"/>) and its
/// root <c>.gitattributes</c> edited (<see cref="AttributesEditor"/>), then <c>git fast-import</c>.
/// Each rewritten commit gets its whole tree converted: files a commit inherits from a parent
/// outside the range are converted too. The stream ends with <c>done</c>, so a failure half way
/// leaves every ref as it was.
/// </summary>
public sealed class HistoryRewriter(GitRunner git, CatFileReader reader, BlobConverter converter, AttributesEditor attributes, PathFilter paths, TextWriter? verbose)
{
    /// <summary>Rewrites the range; returns each rewritten commit's new id by its old one.</summary>
    /// <param name="scratch">A directory for the two marks files that pair old and new commits.</param>
    public async Task<Dictionary<string, string>> RunAsync(IReadOnlyList<string> refs, IReadOnlyList<string> excluded, string scratch, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratch);
        var oldMarks = Path.Combine(scratch, $"migrate-{Guid.NewGuid():N}.export");
        var newMarks = Path.Combine(scratch, $"migrate-{Guid.NewGuid():N}.import");
        try
        {
            await RewriteAsync(refs, excluded, oldMarks, newMarks, cancellationToken);
            return Pair(Marks(oldMarks), Marks(newMarks));
        }
        finally
        {
            File.Delete(oldMarks);
            File.Delete(newMarks);
        }
    }

    private async Task RewriteAsync(IReadOnlyList<string> refs, IReadOnlyList<string> excluded, string oldMarks, string newMarks, CancellationToken cancellationToken)
    {
        List<string> args = ["fast-export", "--no-data", "--reference-excluded-parents", "--reencode=no", "--signed-tags=strip",
            "--tag-of-filtered-object=rewrite", "--use-done-feature", "--export-marks=" + oldMarks, .. refs];
        if (excluded.Count > 0)
        {
            args.Add("--not");
            args.AddRange(excluded);
        }
        using var export = git.Start(args);
        using var import = git.Start(["fast-import", "--quiet", "--force", "--export-marks=" + newMarks]);
        var exportErrors = export.StandardError.ReadToEndAsync(cancellationToken);
        var importErrors = import.StandardError.ReadToEndAsync(cancellationToken);
        var importOutput = import.StandardOutput.ReadToEndAsync(cancellationToken);
        var output = new BufferedStream(import.StandardInput.BaseStream, 1 << 16);
        using var input = new StreamLines(export.StandardOutput.BaseStream);
        try
        {
            while (await input.ReadLineAsync(cancellationToken) is { } line)
            {
                if (line.StartsWith("commit ", StringComparison.Ordinal))
                {
                    await RewriteCommitAsync(line, input, output, cancellationToken);
                }
                else
                {
                    await WriteLineAsync(output, line, cancellationToken);
                    if (line.StartsWith("data ", StringComparison.Ordinal))
                    {
                        await output.WriteAsync(await input.ReadDataAsync(long.Parse(line[5..], CultureInfo.InvariantCulture), cancellationToken), cancellationToken);
                    }
                }
            }
        }
        finally
        {
            await output.FlushAsync(cancellationToken);
            import.StandardInput.Close();
        }
        await export.WaitForExitAsync(cancellationToken);
        await import.WaitForExitAsync(cancellationToken);
        await importOutput;
        if (export.ExitCode != 0 || import.ExitCode != 0)
        {
            throw new GitException($"rewriting history failed; no ref was changed. fast-export: {(await exportErrors).Trim()} fast-import: {(await importErrors).Trim()}");
        }
    }

    private async Task RewriteCommitAsync(string commitLine, StreamLines input, Stream output, CancellationToken cancellationToken)
    {
        var header = new List<string> { commitLine };
        byte[] message = [];
        string? from = null;
        var changes = new List<string>();
        while (await input.ReadLineAsync(cancellationToken) is { Length: > 0 } line)
        {
            if (line.StartsWith("data ", StringComparison.Ordinal))
            {
                header.Add(line);
                message = await input.ReadDataAsync(long.Parse(line[5..], CultureInfo.InvariantCulture), cancellationToken);
            }
            else if (line.Length > 1 && line[1] == ' ' && line[0] is 'M' or 'D' or 'C' or 'R' or 'N' || line == "deleteall")
            {
                changes.Add(line);
            }
            else
            {
                from ??= line.StartsWith("from ", StringComparison.Ordinal) ? line[5..] : null;
                header.Add(line);
            }
        }
        var rewritten = await RewriteChangesAsync(commitLine, changes, from, output, cancellationToken);
        foreach (var line in header)
        {
            await WriteLineAsync(output, line, cancellationToken);
            if (line.StartsWith("data ", StringComparison.Ordinal))
            {
                await output.WriteAsync(message, cancellationToken);
            }
        }
        foreach (var line in rewritten)
        {
            await WriteLineAsync(output, line, cancellationToken);
        }
        await WriteLineAsync(output, string.Empty, cancellationToken);
    }

    /// <summary>The commit's file changes, converted; converted blobs and new .gitattributes contents are written out first.</summary>
    private async Task<List<string>> RewriteChangesAsync(string commitLine, List<string> changes, string? from, Stream output, CancellationToken cancellationToken)
    {
        var rewritten = new List<string>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var attributesDone = false;
        foreach (var change in changes)
        {
            if (change.StartsWith("M ", StringComparison.Ordinal) && change.Split(' ', 4) is [_, var mode, var blob, var token])
            {
                var path = StreamLines.PathOf(token);
                touched.Add(path);
                if (path == ".gitattributes")
                {
                    if (mode == "120000")
                    {
                        throw new LocalStorage.UserException(".gitattributes is a symbolic link in this history; migrate cannot edit it.");
                    }
                    rewritten.Add(await AttributesLineAsync(Text(await reader.ReadBlobAsync(blob, cancellationToken)), output, cancellationToken));
                    attributesDone = true;
                    continue;
                }
                rewritten.Add(await ConvertLineAsync(commitLine, mode, blob, token, path, output, cancellationToken) ?? change);
                continue;
            }
            if (change.StartsWith("D ", StringComparison.Ordinal) && StreamLines.PathOf(change[2..]) is var deleted)
            {
                touched.Add(deleted);
                if (deleted == ".gitattributes")
                {
                    rewritten.Add(await AttributesLineAsync(string.Empty, output, cancellationToken));
                    attributesDone = true;
                    continue;
                }
            }
            rewritten.Add(change);
        }
        if (from is null || !from.StartsWith(':'))
        {
            // A root commit, or one whose parent is outside the range: nothing it inherits was rewritten.
            if (!attributesDone)
            {
                var inherited = from is null ? string.Empty : await ParentAttributesAsync(from, cancellationToken);
                if (attributes.Edit(inherited) != inherited)
                {
                    rewritten.Add(await AttributesLineAsync(inherited, output, cancellationToken));
                }
            }
            if (from is not null)
            {
                await foreach (var entry in new BlobEntries(git).TreeAsync(from, cancellationToken))
                {
                    if (!touched.Contains(entry.Path) && entry.Path != ".gitattributes"
                        && await ConvertLineAsync(commitLine, entry.Mode, entry.Blob, GitPathQuoting.Quote(entry.Path), entry.Path, output, cancellationToken) is { } line)
                    {
                        rewritten.Add(line);
                    }
                }
            }
        }
        return rewritten;
    }

    private async Task<string?> ConvertLineAsync(string commitLine, string mode, string blob, string token, string path, Stream output, CancellationToken cancellationToken)
    {
        if (mode is not ("100644" or "100755") || !paths.Allows(path) || await converter.ConvertAsync(blob, output, cancellationToken) is not { } mark)
        {
            return null;
        }
        if (verbose is not null)
        {
            await verbose.WriteLineAsync($"migrate: {commitLine[7..]}: {path}");
        }
        return $"M {mode} {mark} {token}";
    }

    /// <summary>The edited .gitattributes as a blob of its own (written before the commit), always mode 100644 as git-lfs writes it.</summary>
    private async Task<string> AttributesLineAsync(string original, Stream output, CancellationToken cancellationToken)
    {
        var mark = await converter.WriteBlobAsync(output, System.Text.Encoding.UTF8.GetBytes(attributes.Edit(original)), cancellationToken);
        return $"M 100644 {mark} .gitattributes";
    }

    private async Task<string> ParentAttributesAsync(string commit, CancellationToken cancellationToken)
    {
        var blob = await git.RunAsync(cancellationToken, "rev-parse", "-q", "--verify", commit + ":.gitattributes");
        return blob.Succeeded ? Text(await reader.ReadBlobAsync(blob.StdOut.Trim(), cancellationToken)) : string.Empty;
    }

    private static string Text(byte[] bytes) => System.Text.Encoding.UTF8.GetString(bytes);

    /// <summary>A marks file: <c>:mark object-id</c> per line.</summary>
    private static Dictionary<string, string> Marks(string path) =>
        File.Exists(path)
            ? File.ReadLines(path).Select(l => l.Split(' ')).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal)
            : [];

    private static Dictionary<string, string> Pair(Dictionary<string, string> before, Dictionary<string, string> after) =>
        before.Where(b => after.ContainsKey(b.Key)).ToDictionary(b => b.Value, b => after[b.Key], StringComparer.Ordinal);

    private static Task WriteLineAsync(Stream output, string line, CancellationToken cancellationToken) =>
        output.WriteAsync(StreamLines.Bytes.GetBytes(line + "\n"), cancellationToken).AsTask();
}
