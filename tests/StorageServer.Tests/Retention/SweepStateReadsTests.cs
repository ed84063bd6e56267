using Microsoft.Extensions.DependencyInjection;
using StorageServer.Retention.Entities;
using StorageServer.Retention.Sweeping;

namespace StorageServer.Tests.Retention;

/// <summary>
/// The sweep decides each object on its repository's state of that moment and reads the state
/// again whenever a ref moved or a policy changed, at most five times per repository per sweep:
/// a repository pushed to all the time must not make one sweep rebuild its state (refs, tip trees,
/// histories) once per object. Past the cap the repository's other objects wait in the trash for
/// the next sweep: they are never decided on a state the sweep knows is out of date.
/// </summary>
public sealed class SweepStateReadsTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task A_repository_whose_refs_move_after_every_object_is_read_five_times_and_its_other_objects_wait_for_the_next_sweep()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var orphans = Enumerable.Range(0, 8).Select(i => RetentionScenario.Content(300 + i)).ToList();
        var pointers = new List<string>();
        foreach (var orphan in orphans)
        {
            pointers.Add(await s.UploadAsync(Repo, orphan));
        }
        var main = await s.CommitAsync(Repo, "main", ("readme.txt", "no pointers here\n"));
        // A branch naming every one of them, made now and pushed during the sweep (no post-push work:
        // only the sweep's own reading of git can see it).
        s.GitWork(Repo, "checkout", "-q", "-b", "later");
        for (var i = 0; i < pointers.Count; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(s.WorkTree(Repo), $"o{i}.bin"), pointers[i]);
        }
        s.GitWork(Repo, "add", "-A");
        s.GitWork(Repo, "commit", "-q", "-m", "names them all");
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(orphans.Count, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(8));

        // A push lands after each object the sweep decides, so each next one finds the state it has
        // out of date: new branches naming nothing, and after the fifth object the branch naming them all.
        var pushes = 0;
        RetentionRun first;
        using (var scope = s.Factory.Services.CreateScope())
        {
            first = await scope.ServiceProvider.GetRequiredService<RetentionSweepRunner>().RunAsync("test", null, (_, _, _) =>
            {
                var bare = s.BarePath(Repo);
                _ = ++pushes == 5
                    ? RetentionScenario.Git(bare, "fetch", "-q", s.WorkTree(Repo), "+later:refs/heads/later")
                    : RetentionScenario.Git(bare, "update-ref", $"refs/heads/push-{pushes}", main);
                return Task.CompletedTask;
            }, CancellationToken.None);
        }

        Assert.Equal(orphans.Count, pushes);
        Assert.Equal(5, first.Swept);
        Assert.Equal(orphans.Count - 5, first.SkippedBusy);
        Assert.Equal(0, first.SkippedRevived);
        var stored = await s.StoredOidsAsync();
        var waiting = orphans.Where(o => stored.Contains(o.Oid)).ToList();
        Assert.Equal(orphans.Count - 5, waiting.Count);

        // Nothing moves during the next sweep: one read sees the branch, which keeps the rest.
        var second = await s.SweepAsync();
        Assert.Equal(0, second.GetProperty("swept").GetInt64());
        Assert.Equal(orphans.Count - 5, second.GetProperty("skippedRevived").GetInt64());
        foreach (var kept in waiting)
        {
            Assert.Equal(200, await s.DownloadStatusAsync(Repo, kept));
        }
    }
}
