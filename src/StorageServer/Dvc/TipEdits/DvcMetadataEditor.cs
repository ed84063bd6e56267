using System.Globalization;
using StorageServer.Dvc.Tracking;
using YamlDotNet.RepresentationModel;

namespace StorageServer.Dvc.TipEdits;

/// <summary>
/// Rewrites a <c>.dvc</c> file or <c>dvc.lock</c> for changed outputs by replacing only the
/// scalars that change (<c>md5</c>, <c>size</c>, <c>nfiles</c>) at their exact positions, so the
/// file keeps DVC's formatting, comments and key order and its diff shows just those values. A
/// removed output's list item is cut out; a <c>.dvc</c> left without outputs is deleted (null).
/// In a lock, dependencies on a changed path that still name its old object follow the output,
/// whichever file records it. An output whose recorded hash is not the expected one is a stale
/// view: that throws.
/// </summary>
public static class DvcMetadataEditor
{
    /// <param name="changes">Changes of outputs of any metadata file: this file's outputs are edited, and in a lock every retarget moves matching deps.</param>
    public static string? Apply(string metadataPath, string content, IReadOnlyList<DvcOutputChange> changes)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(content));
        var root = (YamlMappingNode)stream.Documents.Single().RootNode;
        var splices = new List<(int Start, int End, string Text)>();
        var lockFile = DvcMetadataPaths.IsLock(metadataPath);
        foreach (var group in changes.Where(c => c.Output.MetadataPath == metadataPath).GroupBy(c => c.Output.Stage))
        {
            var owner = lockFile ? Stage(root, group.Key!) : root;
            var outs = (YamlSequenceNode)DvcMetadataParser.Child(owner, "outs")!;
            foreach (var change in group)
            {
                var item = (YamlMappingNode)outs.Children[change.Output.Index];
                if (DvcMetadataParser.Scalar(item, "md5") != change.Output.Hash.Value)
                {
                    throw new InvalidOperationException($"{metadataPath}: output {change.Output.Index} of {group.Key ?? "the file"} no longer names {change.Output.Hash.Value}.");
                }
                if (change.Removes)
                {
                    splices.Add(ItemSpan(content, item));
                }
                else
                {
                    Retarget(splices, item, change);
                }
            }
            if (group.Count(c => c.Removes) == outs.Children.Count)
            {
                if (!lockFile)
                {
                    return null;
                }
                // Every output of the stage went: "outs: []" rather than a key without a value.
                var list = ItemSpan(content, outs);
                splices.RemoveAll(s => s.Start >= list.Start && s.End <= list.End);
                splices.Add((AfterColon(content, owner, "outs"), list.End, " []\n"));
            }
        }
        if (lockFile)
        {
            FollowDependencies(metadataPath, root, changes, splices);
        }
        var text = content;
        foreach (var (start, end, replacement) in splices.DistinctBy(s => s.Start).OrderByDescending(s => s.Start))
        {
            text = string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end));
        }
        return text;
    }

    /// <summary>Deps anywhere in the lock that name a changed output's path and old object are moved to its new object too.</summary>
    private static void FollowDependencies(string metadataPath, YamlMappingNode root, IReadOnlyList<DvcOutputChange> changes, List<(int, int, string)> splices)
    {
        var stages = DvcMetadataParser.Child(root, "stages") as YamlMappingNode ?? root;
        foreach (var stage in stages.Children.Values.OfType<YamlMappingNode>())
        {
            foreach (var dep in (DvcMetadataParser.Child(stage, "deps") as YamlSequenceNode)?.Children.OfType<YamlMappingNode>() ?? [])
            {
                var path = DvcMetadataParser.Scalar(dep, "path") is { } relative ? DvcMetadataPaths.Resolve(metadataPath, relative) : null;
                var change = changes.FirstOrDefault(c => !c.Removes && c.Output.Path == path && c.Output.Hash.Value == DvcMetadataParser.Scalar(dep, "md5"));
                if (change is not null)
                {
                    Retarget(splices, dep, change);
                }
            }
        }
    }

    private static void Retarget(List<(int, int, string)> splices, YamlMappingNode item, DvcOutputChange change)
    {
        Replace(splices, item, "md5", change.NewHash!.Value.Value);
        Replace(splices, item, "size", change.NewSize.ToString(CultureInfo.InvariantCulture));
        if (change.NewFiles is { } files)
        {
            Replace(splices, item, "nfiles", files.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void Replace(List<(int, int, string)> splices, YamlMappingNode item, string key, string value)
    {
        if (DvcMetadataParser.Child(item, key) is YamlScalarNode scalar)
        {
            splices.Add((At(scalar.Start), At(scalar.End), value));
        }
    }

    private static YamlMappingNode Stage(YamlMappingNode root, string name) =>
        (YamlMappingNode)DvcMetadataParser.Child(DvcMetadataParser.Child(root, "stages") as YamlMappingNode ?? root, name)!;

    /// <summary>A block-sequence item or node with its whole lines: from its line's start (the "- ") to the start of the line after it.</summary>
    private static (int Start, int End, string Text) ItemSpan(string content, YamlNode node)
    {
        var start = content.LastIndexOf('\n', Math.Max(0, At(node.Start) - 1)) + 1;
        return (start, LineEnd(content, LastEnd(node)), string.Empty);
    }

    /// <summary>Where the node's text stops, moved to a line start when only indentation precedes it (the next item's).</summary>
    private static int LineEnd(string content, int end)
    {
        var lineStart = content.LastIndexOf('\n', Math.Max(0, end - 1)) + 1;
        if (end > lineStart && content.AsSpan(lineStart, end - lineStart).IsWhiteSpace())
        {
            return lineStart;
        }
        var newline = content.IndexOf('\n', end);
        return end > 0 && content[end - 1] == '\n' ? end : newline < 0 ? content.Length : newline + 1;
    }

    /// <summary>Where a node's last scalar ends: a collection's own end mark is not reliably past its content.</summary>
    private static int LastEnd(YamlNode node) => node switch
    {
        YamlMappingNode mapping => mapping.Children.SelectMany(c => new[] { LastEnd(c.Key), LastEnd(c.Value) }).DefaultIfEmpty(At(node.End)).Max(),
        YamlSequenceNode sequence => sequence.Children.Select(LastEnd).DefaultIfEmpty(At(node.End)).Max(),
        _ => At(node.End),
    };

    /// <summary>A mark's character offset (metadata files are at most a few MiB).</summary>
    private static int At(YamlDotNet.Core.Mark mark) => checked((int)mark.Index);

    private static int AfterColon(string content, YamlMappingNode owner, string key)
    {
        var keyNode = owner.Children.Keys.First(k => k is YamlScalarNode { Value: var v } && v == key);
        return content.IndexOf(':', At(keyNode.End)) + 1;
    }
}
