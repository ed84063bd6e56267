using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using StorageServer.Data.Entities;

namespace StorageServer.Tests.Retention;

/// <summary>
/// Retention end to end inside the server: real bare repositories, real uploads, the real job
/// queue, a manual clock. Each test names the guarantee it checks.
/// </summary>
public sealed class RetentionScenarioTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task An_object_reachable_from_main_survives_any_policy()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "aggressive", keepDaysAfterDereference = 1, keepLastVersions = 1, orphanGraceHours = 1 });
        var model = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, model)));

        s.Clock.Advance(TimeSpan.FromDays(400));
        var mark = await s.MarkAsync();
        s.Clock.Advance(TimeSpan.FromDays(30));
        await s.SweepAsync();

        Assert.Equal(0, mark.GetProperty("candidates").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, model));
        Assert.Contains(model.Oid, await s.StoredOidsAsync());
    }

    [Fact]
    public async Task An_object_dropped_from_all_tips_survives_exactly_N_days_then_is_trashed_restorable_then_gone()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await DroppedObjectLifecycleAsync(s);
    }

    /// <summary>Also run on PostgreSQL by <see cref="RetentionPostgresTests"/>.</summary>
    internal static async Task DroppedObjectLifecycleAsync(RetentionScenario s)
    {
        await s.CreatePolicyAsync(new { name = "30 days", keepDaysAfterDereference = 30 });
        var v1 = RetentionScenario.Content(1, 1000);
        var v2 = RetentionScenario.Content(2, 10);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v1)));
        s.Clock.Advance(TimeSpan.FromDays(100));
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v2)));
        var before = await UsageAsync(s);

        // The clock started at dereference (day 100), not at upload (day 0).
        s.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, v1));

        s.Clock.Advance(TimeSpan.FromMinutes(2));
        var mark = await s.MarkAsync();
        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        Assert.Equal(1000, mark.GetProperty("trashedBytes").GetInt64());
        Assert.Equal(404, await s.DownloadStatusAsync(Repo, v1));
        Assert.Equal(ObjectState.Trashed, await s.StateAsync(v1.Oid));
        var item = Assert.Single((await s.ReportAsync(mark.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray());
        Assert.Equal(v1.Oid, item.GetProperty("oid").GetString());
        Assert.Equal("model.bin", item.GetProperty("path").GetString());
        Assert.Equal("refs/heads/main", item.GetProperty("lastRef").GetString());
        Assert.StartsWith("policy:", item.GetProperty("policy").GetString());

        // Restorable through the API while in the trash.
        var entry = (await s.Admin.GetFromJsonAsync<JsonElement>("/api/retention/trash?state=trashed"))[0];
        using (var restore = await s.Admin.PostAsync($"/api/retention/trash/{entry.GetProperty("id").GetInt64()}/restore", null))
        {
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, v1));

        // Marked again, then gone after the trash window.
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await s.SweepAsync()).GetProperty("swept").GetInt64());
        s.Clock.Advance(TimeSpan.FromMinutes(2));
        var sweep = await s.SweepAsync();

        Assert.Equal(1, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1000, sweep.GetProperty("sweptBytes").GetInt64());
        Assert.DoesNotContain(v1.Oid, await s.StoredOidsAsync());
        Assert.Contains(v2.Oid, await s.StoredOidsAsync());
        Assert.Equal(410, await s.DownloadStatusAsync(Repo, v1));
        Assert.Equal(ObjectState.Deleted, await s.StateAsync(v1.Oid));
        var after = await UsageAsync(s);
        Assert.Equal(before.GetProperty("liveBytes").GetInt64() - sweep.GetProperty("sweptBytes").GetInt64(), after.GetProperty("liveBytes").GetInt64());
    }

    [Fact]
    public async Task Keep_last_N_keeps_exactly_N_versions_of_a_path()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "last 3", keepLastVersions = 3 });
        var versions = Enumerable.Range(1, 6).Select(i => RetentionScenario.Content(i)).ToList();
        foreach (var version in versions)
        {
            await s.CommitAsync(Repo, "main", ("weights.bin", await s.UploadAsync(Repo, version)));
        }
        s.Clock.Advance(TimeSpan.FromDays(2));

        var mark = await s.MarkAsync();
        var trashed = (await s.ReportAsync(mark.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("oid").GetString()).Order();

        Assert.Equal(versions.Take(3).Select(v => v.Oid).Order(), trashed);
        foreach (var kept in versions.Skip(3))
        {
            Assert.Equal(200, await s.DownloadStatusAsync(Repo, kept));
        }
    }

    [Fact]
    public async Task A_tag_pins_an_old_version_forever()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var v1 = RetentionScenario.Content(1);
        var first = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v1)));
        await s.TagAsync(Repo, "v1", first);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, RetentionScenario.Content(2))));

        s.Clock.Advance(TimeSpan.FromDays(1000));
        Assert.Equal(0, (await s.MarkAsync()).GetProperty("candidates").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, v1));

        // Without the tag the same object goes: the tag was what kept it.
        await s.SetRefAsync(Repo, "refs/tags/v1", null);
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
    }

    /// <summary>
    /// Also: a repository whose claim a sweep released while another repository kept the bytes
    /// answers 410 with the reason from then on, as it does once the bytes are deleted (it answered
    /// 404, an unknown object's answer, and kept answering 404 after the others' tombstones said 410).
    /// </summary>
    [Fact]
    public async Task An_object_shared_by_two_repos_survives_until_both_drop_it()
    {
        await using var s = await RetentionScenario.CreateAsync(null, "team/a", "team/b");
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var shared = RetentionScenario.Content(7, 500);
        await s.CommitAsync("team/a", "main", ("data.bin", await s.UploadAsync("team/a", shared)));
        await s.CommitAsync("team/b", "main", ("data.bin", await s.UploadAsync("team/b", shared)));
        await s.CommitAsync("team/a", "main", ("data.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(8));
        var first = await s.SweepAsync();
        Assert.Equal(0, first.GetProperty("swept").GetInt64());
        Assert.Equal(1, first.GetProperty("claimsReleased").GetInt64());
        Assert.Equal((410, "Object was removed from this repository by a retention policy."), await s.DownloadAnswerAsync("team/a", shared));
        Assert.Equal(404, await s.DownloadStatusAsync("team/a", RetentionScenario.Content(70, 500)));
        Assert.Equal(200, await s.DownloadStatusAsync("team/b", shared));
        Assert.Contains(shared.Oid, await s.StoredOidsAsync());

        await s.CommitAsync("team/b", "main", ("data.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(8));
        var second = await s.SweepAsync();
        Assert.Equal(1, second.GetProperty("swept").GetInt64());
        Assert.DoesNotContain(shared.Oid, await s.StoredOidsAsync());
        Assert.Equal(410, await s.DownloadStatusAsync("team/b", shared));
        Assert.Equal(410, await s.DownloadStatusAsync("team/a", shared));

        // A re-upload claims it again, as for any swept object; trashed again, it is restorable: 404.
        await s.UploadAsync("team/a", shared);
        Assert.Equal(200, await s.DownloadStatusAsync("team/a", shared));
        s.Clock.Advance(TimeSpan.FromDays(2));
        await s.MarkAsync();
        Assert.Equal(404, await s.DownloadStatusAsync("team/a", shared));
    }

    [Fact]
    public async Task Shared_bytes_wait_for_every_repositorys_restore_window()
    {
        await using var s = await RetentionScenario.CreateAsync(null, "team/a", "team/b");
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var shared = RetentionScenario.Content(8, 300);
        await s.CommitAsync("team/a", "main", ("data.bin", await s.UploadAsync("team/a", shared)));
        await s.CommitAsync("team/b", "main", ("data.bin", await s.UploadAsync("team/b", shared)));
        await s.CommitAsync("team/a", "main", ("data.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        await s.CommitAsync("team/b", "main", ("data.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(5));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        // team/a's window is over, team/b's is not: the bytes stay, and team/b can still restore.
        s.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, (await s.SweepAsync()).GetProperty("swept").GetInt64());
        Assert.Contains(shared.Oid, await s.StoredOidsAsync());
        var entry = (await s.Admin.GetFromJsonAsync<JsonElement>("/api/retention/trash?state=trashed&repository=team/b"))[0];
        using var restore = await s.Admin.PostAsync($"/api/retention/trash/{entry.GetProperty("id").GetInt64()}/restore", null);
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Equal(200, await s.DownloadStatusAsync("team/b", shared));
    }

    [Fact]
    public async Task Orphan_uploads_are_reclaimed_after_the_grace_and_not_before()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var orphan = RetentionScenario.Content(3);
        await s.UploadAsync(Repo, orphan);

        s.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, (await s.MarkAsync()).GetProperty("candidates").GetInt64());
        s.Clock.Advance(TimeSpan.FromHours(2));
        var mark = await s.MarkAsync();

        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        var item = (await s.ReportAsync(mark.GetProperty("id").GetInt64())).GetProperty("items")[0];
        Assert.Equal("orphan-grace", item.GetProperty("policy").GetString());
    }

    [Fact]
    public async Task With_no_history_rule_history_is_kept_forever()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var v1 = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v1)));
        await s.CommitAsync(Repo, "main", ("model.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(5000));

        Assert.Equal(0, (await s.MarkAsync()).GetProperty("candidates").GetInt64());
    }

    [Fact]
    public async Task A_dry_run_lists_exactly_what_the_real_run_trashes_and_changes_nothing()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var dropped = Enumerable.Range(1, 3).Select(i => RetentionScenario.Content(i)).ToList();
        foreach (var content in dropped)
        {
            await s.CommitAsync(Repo, "main", ("f.bin", await s.UploadAsync(Repo, content)));
        }
        await s.CommitAsync(Repo, "main", ("f.bin", null));
        await s.UploadAsync(Repo, RetentionScenario.Content(9));
        s.Clock.Advance(TimeSpan.FromDays(3));

        var dry = await s.MarkAsync(dryRun: true);
        var dryItems = (await s.ReportAsync(dry.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray().ToList();
        Assert.All(dryItems, i => Assert.Equal("would_trash", i.GetProperty("action").GetString()));
        Assert.Equal(0, dry.GetProperty("trashed").GetInt64());
        Assert.All(dropped, d => Assert.Equal(200, s.DownloadStatusAsync(Repo, d).GetAwaiter().GetResult()));
        var real = await s.MarkAsync();
        var realItems = (await s.ReportAsync(real.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(4, dryItems.Count);
        Assert.Equal(dryItems.Select(i => i.GetProperty("oid").GetString()).Order(), realItems.Select(i => i.GetProperty("oid").GetString()).Order());
        Assert.Equal(dry.GetProperty("candidateBytes").GetInt64(), real.GetProperty("trashedBytes").GetInt64());
        using var csv = await s.Admin.GetAsync($"/api/retention/runs/{real.GetProperty("id").GetInt64()}/report.csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("oid,size,repository,path,last_ref,policy,reason,action", lines[0]);
        Assert.Equal(5, lines.Length);
    }

    private static async Task<JsonElement> UsageAsync(RetentionScenario s) => await s.Admin.GetFromJsonAsync<JsonElement>("/api/storage/usage");
}
