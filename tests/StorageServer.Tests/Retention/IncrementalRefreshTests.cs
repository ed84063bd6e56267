using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Retention.Reachability;

namespace StorageServer.Tests.Retention;

/// <summary>
/// The refresh after a push reads only the rows a push can change; a full refresh reads them all.
/// After any sequence of pushes, a full refresh must find nothing left to change.
/// </summary>
public sealed class IncrementalRefreshTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task After_pushes_a_full_refresh_finds_every_row_already_right()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var (cc, cd) = (RetentionScenario.Content(3), RetentionScenario.Content(4));
        var a = await s.UploadAsync(Repo, RetentionScenario.Content(1));
        var b = await s.UploadAsync(Repo, RetentionScenario.Content(2));
        var c = await s.UploadAsync(Repo, cc);
        var d = await s.UploadAsync(Repo, cd);

        var first = await s.CommitAsync(Repo, "main", ("a.bin", a), ("b.bin", b));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.CommitAsync(Repo, "feature", ("c.bin", c));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.CommitAsync(Repo, "main", ("a.bin", null), ("moved/b.bin", b), ("b.bin", null));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.TagAsync(Repo, "v1", first);
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.SetRefAsync(Repo, "refs/heads/feature", null);
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.CommitAsync(Repo, "main", ("d.bin", d));
        s.Clock.Advance(TimeSpan.FromHours(1));
        await s.SetRefAsync(Repo, "refs/tags/v1", null);
        s.Clock.Advance(TimeSpan.FromHours(1));
        var afterPushes = await RowsAsync(s);

        using (var scope = s.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            var repo = await db.Repositories.AsNoTracking().SingleAsync(r => r.Name == Repo);
            await scope.ServiceProvider.GetRequiredService<ReachabilityRefresher>().RefreshAsync(repo, CancellationToken.None);
        }
        var afterFull = await RowsAsync(s);

        Assert.Equal(afterFull, afterPushes);
        // And the pushes did move the clocks: c left with its branch, a and the tag's b went with the tag.
        Assert.Equal(4, afterPushes.Count);
        Assert.Contains(afterPushes, r => r.StartsWith(cc.Oid, StringComparison.Ordinal) && r.Contains("|False|", StringComparison.Ordinal));
        Assert.Contains(afterPushes, r => r.StartsWith(cd.Oid, StringComparison.Ordinal) && r.Contains("|True|", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RowsAsync(RetentionScenario s)
    {
        using var scope = s.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var rows = await db.Set<StorageServer.Retention.Entities.Reachability>().AsNoTracking().ToListAsync();
        return rows.Select(r => $"{r.Oid}|{r.ReferencedByTip}|{r.FirstSeenAt:O}|{r.UnreferencedSince:O}|{r.LastRef}|{r.LastPath}").Order(StringComparer.Ordinal).ToList();
    }
}
