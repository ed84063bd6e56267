using System.Text;
using Microsoft.Extensions.Options;
using StorageServer.Dvc.Tracking;
using StorageServer.Git;
using StorageServer.Indexing;
using YamlDotNet.RepresentationModel;

namespace StorageServer.Dvc.Indexing;

/// <summary>
/// The DVC half of <see cref="PointerScanner"/>: from the files a walk found each commit
/// changing, the outputs of its <c>.dvc</c> files and <c>dvc.lock</c>s (up to
/// <see cref="DvcOptions.MaxMetadataFileSize"/>), each lock read with the <c>dvc.yaml</c> next to
/// it in that commit, changed or not (<c>git cat-file</c> of <c>commit:path</c>).
/// </summary>
public sealed class DvcScanner(GitProcess git, IOptions<DvcOptions> options)
{
    public async Task<List<DvcOutputEntry>> ReadOutputsAsync(
        string gitDir, IReadOnlyList<(string Commit, string Path, string Blob)> changed, IReadOnlyDictionary<string, long> sizes,
        IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        var limit = options.Value.MaxMetadataFileSize;
        var metadata = changed.Where(e => DvcMetadataPaths.IsMetadata(e.Path) && sizes.TryGetValue(e.Blob, out var size) && size <= limit).ToList();
        var outputs = new List<DvcOutputEntry>();
        if (metadata.Count == 0)
        {
            return outputs;
        }
        var roots = await PointerBlobs.ReadAsync(git, gitDir, metadata.Select(m => m.Blob).Distinct(StringComparer.Ordinal).ToList(), environment,
            content => DvcMetadataParser.TryLoad(content), cancellationToken);
        var pipelines = await PipelinesAsync(gitDir, metadata.Where(m => DvcMetadataPaths.IsLock(m.Path)).Select(m => $"{m.Commit}:{DvcMetadataPaths.PipelineOf(m.Path)}").ToList(),
            environment, limit, cancellationToken);
        foreach (var (commit, path, blob) in metadata)
        {
            if (roots.TryGetValue(blob, out var root))
            {
                var pipeline = DvcMetadataPaths.IsLock(path) ? DvcPipeline.From(pipelines.GetValueOrDefault($"{commit}:{DvcMetadataPaths.PipelineOf(path)}")) : null;
                outputs.AddRange(DvcMetadataParser.Outputs(path, root, pipeline).Select(o => new DvcOutputEntry(commit, o)));
            }
        }
        return outputs;
    }

    /// <summary>The <c>dvc.yaml</c> documents named <c>commit:path</c>; absent ones, too large ones and unparseable ones are left out.</summary>
    private async Task<Dictionary<string, YamlMappingNode>> PipelinesAsync(
        string gitDir, List<string> names, IReadOnlyDictionary<string, string>? environment, int limit, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);
        names = names.Distinct(StringComparer.Ordinal).Where(n => !n.Contains('\n', StringComparison.Ordinal)).ToList();
        if (names.Count == 0)
        {
            return result;
        }
        // batch-check answers line by line in input order: "<sha> blob <size>" or "<name> missing".
        var blobs = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var process = git.Start(gitDir, ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)", "--buffer"], redirectInput: true, environment))
        {
            var feed = GitPipes.WriteLinesAsync(process, names, cancellationToken);
            foreach (var name in names)
            {
                var line = await process.StandardOutput.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("git cat-file --batch-check ended early");
                var parts = line.Split(' ');
                if (!line.EndsWith(" missing", StringComparison.Ordinal) && parts.Length == 3 && parts[1] == "blob" && long.TryParse(parts[2], out var size) && size <= limit)
                {
                    blobs[name] = parts[0];
                }
            }
            await feed;
            await process.WaitForExitAsync(cancellationToken);
        }
        var roots = await PointerBlobs.ReadAsync(git, gitDir, blobs.Values.Distinct(StringComparer.Ordinal).ToList(), environment,
            content => DvcMetadataParser.TryLoad(content), cancellationToken);
        foreach (var (name, blob) in blobs)
        {
            if (roots.TryGetValue(blob, out var root))
            {
                result[name] = root;
            }
        }
        return result;
    }
}
