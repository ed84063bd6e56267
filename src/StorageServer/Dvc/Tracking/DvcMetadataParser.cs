using System.Globalization;
using System.Text;
using StorageServer.Dvc.Objects;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace StorageServer.Dvc.Tracking;

/// <summary>
/// Reads the cached outputs of a <c>.dvc</c> file (<c>outs:</c>, relative to the file's folder, or
/// to its <c>wdir:</c>) or a <c>dvc.lock</c> (each stage's <c>outs:</c>; schema 2.0's <c>stages:</c>
/// or DVC 1's stages at the top), as DVC pushes them: outputs with an MD5, not <c>cache: false</c>
/// nor <c>push: false</c>. <c>hash: md5</c> puts an output in the DVC 3 tree; no <c>hash:</c> line
/// means a DVC 2 entry (md5-dos2unix, legacy tree). Dependencies are not pushed, so not read; for
/// a lock, its <c>dvc.yaml</c> (<see cref="DvcPipeline"/>) tells which outputs are not pushed either
/// and each stage's working directory. YAML that does not parse, or is not shaped like DVC's,
/// yields no outputs.
/// </summary>
public static class DvcMetadataParser
{
    public static IReadOnlyList<DvcOutput> Parse(string metadataPath, ReadOnlySpan<byte> content, DvcPipeline? pipeline = null) =>
        TryLoad(content) is { } root ? Outputs(metadataPath, root, pipeline) : [];

    /// <summary>The document's root mapping, or null when the bytes are not one YAML mapping.</summary>
    internal static YamlMappingNode? TryLoad(ReadOnlySpan<byte> content)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(Encoding.UTF8.GetString(content)));
            return stream.Documents.Count == 1 ? stream.Documents[0].RootNode as YamlMappingNode : null;
        }
        catch (YamlException)
        {
            return null;
        }
    }

    public static IReadOnlyList<DvcOutput> Outputs(string metadataPath, YamlMappingNode root, DvcPipeline? pipeline)
    {
        var outputs = new List<DvcOutput>();
        if (!DvcMetadataPaths.IsLock(metadataPath))
        {
            // Paths are relative to the .dvc file's folder, or to its wdir (a dummy name after it stands for that folder).
            var @base = Scalar(root, "wdir") is { } wdir ? DvcMetadataPaths.Resolve(metadataPath, wdir + "/_") : metadataPath;
            if (@base is not null)
            {
                Collect(outputs, root, @base, metadataPath, null, null);
            }
            return outputs;
        }
        var stages = Child(root, "stages") as YamlMappingNode ?? (Scalar(root, "schema") is null ? root : null);
        foreach (var (name, stage) in stages?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            if (name is YamlScalarNode { Value: { } stageName } && stage is YamlMappingNode body
                && (pipeline?.Wdir(stageName) is not { } wdir ? metadataPath : DvcMetadataPaths.Resolve(metadataPath, wdir + "/_")) is { } @base)
            {
                Collect(outputs, body, @base, metadataPath, stageName, pipeline);
            }
        }
        return outputs;
    }

    /// <summary>The <c>outs:</c> of <paramref name="owner"/>; paths resolve from <paramref name="base"/>'s folder.</summary>
    private static void Collect(List<DvcOutput> outputs, YamlMappingNode owner, string @base, string metadataPath, string? stage, DvcPipeline? pipeline)
    {
        if (Child(owner, "outs") is not YamlSequenceNode outs)
        {
            return;
        }
        for (var index = 0; index < outs.Children.Count; index++)
        {
            if (outs.Children[index] is not YamlMappingNode entry
                || Scalar(entry, "cache") is "false" || Scalar(entry, "push") is "false"
                || Scalar(entry, "path") is not { } relative || DvcMetadataPaths.Resolve(@base, relative) is not { } path
                || (stage is not null && pipeline?.IsNotPushed(stage, relative) == true))
            {
                continue;
            }
            var hashName = Scalar(entry, "hash");
            if (hashName is not (null or "md5") || !DvcHash.TryParse(Scalar(entry, "md5"), legacy: hashName is null, out var hash))
            {
                continue;
            }
            outputs.Add(new DvcOutput(path, hash, Number(entry, "size"), Number(entry, "nfiles"), metadataPath, stage, index));
        }
    }

    internal static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    internal static string? Scalar(YamlMappingNode mapping, string key) => (Child(mapping, key) as YamlScalarNode)?.Value;

    private static long? Number(YamlMappingNode mapping, string key) =>
        long.TryParse(Scalar(mapping, key), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
