using StorageServer.Data.Entities;
using StorageServer.Retention.Keeping;

namespace StorageServer.Retention.Planning;

/// <summary>One repository's part of a mark: its report items, and how many claims each reason kept.</summary>
public sealed class RetentionPlan(Repository repository)
{
    public Repository Repository { get; } = repository;

    public List<RetentionDecision> Items { get; } = [];

    public Dictionary<string, long> Kept { get; } = new(StringComparer.Ordinal);

    public List<string> UnprotectedRefs { get; } = [];

    public long Claims { get; private set; }

    public void Count(KeepVerdict verdict)
    {
        Claims++;
        if (verdict.Keep)
        {
            Kept[verdict.Reason] = Kept.GetValueOrDefault(verdict.Reason) + 1;
        }
    }
}
