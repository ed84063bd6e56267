using System.Text.Json;
using StorageServer.Retention.Keeping;
using StorageServer.Retention.Runs;

namespace StorageServer.Retention.Reconciliation;

/// <summary>What a reconciliation saw, for its run's summary.</summary>
internal sealed class LeftoverCount
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public long Files { get; set; }

    public long Rows { get; set; }

    public long Young { get; private set; }

    public long Busy { get; set; }

    public long Held { get; set; }

    /// <summary>Passes <paramref name="old"/> through, counting the leftovers too young to touch.</summary>
    public bool IsOld(bool old)
    {
        Young += old ? 0 : 1;
        return old;
    }

    public string ToSummary(long leftovers)
    {
        var kept = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (reason, count) in new[] { (KeepReasons.OrphanGrace, Young), (KeepReasons.Uploading, Busy), (KeepReasons.Held, Held) })
        {
            if (count > 0)
            {
                kept[reason] = count;
            }
        }
        var explanation = new List<string>
        {
            $"{Files} stored objects and {Rows} unclaimed rows examined",
            leftovers == 0 ? "no crash leftover older than the orphan grace" : $"{leftovers} crash leftovers older than the orphan grace",
        };
        explanation.AddRange(kept.Select(k => KeepReasons.Describe(k.Key, k.Value)));
        return JsonSerializer.Serialize(new RunSummary(Files + Rows, leftovers, kept, [], explanation), Json);
    }
}
