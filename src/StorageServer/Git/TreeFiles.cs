using System.Globalization;
using System.Text;
using StorageServer.Indexing;

namespace StorageServer.Git;

/// <summary>
/// The regular files of a commit's or tree's whole tree, with their sizes: <c>git ls-tree -r -l -z
/// --full-tree</c>, streamed. Shared by retention's tip reader and the push check's DVC tip scan
/// (which reads a push's quarantined objects through <c>environment</c>).
/// </summary>
public static class TreeFiles
{
    /// <summary>Regular files (not symlinks nor submodules) for which <paramref name="keep"/>(path, size) holds, as (path, blob).</summary>
    public static async Task<List<(string Path, string Blob)>> ListAsync(
        GitProcess git, string gitDir, string treeish, Func<string, long, bool> keep, IReadOnlyDictionary<string, string>? environment,
        CancellationToken cancellationToken)
    {
        using var process = git.Start(gitDir, ["ls-tree", "-r", "-l", "-z", "--full-tree", treeish], redirectInput: false, environment);
        using var kill = cancellationToken.Register(() => GitPipes.Kill(process));
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        var reader = new GitOutputReader(process.StandardOutput.BaseStream);
        var files = new List<(string, string)>();
        while (await reader.ReadRecordAsync(0, cancellationToken) is { } record)
        {
            // "<mode> SP <type> SP <object> SP+ <size> TAB <path>"
            var text = Encoding.UTF8.GetString(record);
            var tab = text.IndexOf('\t', StringComparison.Ordinal);
            if (tab < 0)
            {
                continue;
            }
            var fields = text[..tab].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 4 && fields[0] is "100644" or "100755" && fields[1] == "blob"
                && long.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                && keep(text[(tab + 1)..], size))
            {
                files.Add((text[(tab + 1)..], fields[2]));
            }
        }
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0 ? files : throw new InvalidOperationException($"git ls-tree failed: {(await errors).Trim()}");
    }
}
