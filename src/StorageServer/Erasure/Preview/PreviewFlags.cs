namespace StorageServer.Erasure.Preview;

/// <summary>
/// Why a preview needs an explicit acknowledgement before it can be approved. Each names something
/// a reviewer should look at twice; none of them is an error.
/// </summary>
public static class PreviewFlags
{
    /// <summary>A redaction removes more than <c>Erasure:FlagRecordShare</c> of a file's records (or all of them).</summary>
    public const string RecordShare = "record-share";

    /// <summary>A CSV/TSV file holds an identifier but does not parse cleanly: it would be erased whole, others' records with it.</summary>
    public const string Unparsed = "unparsed";

    /// <summary>A tag's tip holds a version that will be erased: checking out that tag will get 410 for that file (tags are not rewritten).</summary>
    public const string TagTip = "tag-tip";

    public static string? Join(IEnumerable<string?> flags)
    {
        var distinct = flags.OfType<string>().SelectMany(f => f.Split(',')).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return distinct.Count == 0 ? null : string.Join(',', distinct);
    }
}
