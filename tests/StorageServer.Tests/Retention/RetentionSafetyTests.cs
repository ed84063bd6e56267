using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using StorageServer.Tests.Lfs;
using StorageServer.Tests.Support.Databases;

namespace StorageServer.Tests.Retention;

/// <summary>What must stop a deletion at the last moment: holds, pushes, uploads in progress.</summary>
public sealed class RetentionSafetyTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task A_hold_blocks_every_path_to_deletion()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        await s.CreatePolicyAsync(new { name = "raw max age", pathGlob = "raw/**", maxAgeDays = 5 });
        var byOid = RetentionScenario.Content(1);
        var byPath = RetentionScenario.Content(2);
        var byRepoLater = RetentionScenario.Content(3);
        var rawFile = RetentionScenario.Content(4);
        await s.CommitAsync(Repo, "main", ("a.bin", await s.UploadAsync(Repo, byOid)), ("secret/b.bin", await s.UploadAsync(Repo, byPath)),
            ("c.bin", await s.UploadAsync(Repo, byRepoLater)), ("raw/d.bin", await s.UploadAsync(Repo, rawFile)));
        await s.CommitAsync(Repo, "main", ("a.bin", null), ("secret/b.bin", null), ("c.bin", null));
        await HoldAsync(s, new { caseReference = "CASE-1", oid = byOid.Oid });
        await HoldAsync(s, new { caseReference = "CASE-2", path = "secret/**" });
        await HoldAsync(s, new { caseReference = "CASE-3", oid = rawFile.Oid });
        s.Clock.Advance(TimeSpan.FromDays(10));

        // Mark: held objects are reported as held, not trashed; the max-age commit leaves the held file.
        var mark = await s.MarkAsync();
        var items = (await s.ReportAsync(mark.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, mark.GetProperty("held").GetInt64());
        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        Assert.Equal(byRepoLater.Oid, items.Single(i => i.GetProperty("action").GetString() == "trash").GetProperty("oid").GetString());
        Assert.Contains("CASE-1", items.Single(i => i.GetProperty("oid").GetString() == byOid.Oid).GetProperty("reason").GetString());
        Assert.Equal(0, mark.GetProperty("filesExpired").GetInt64());
        Assert.Contains("raw/d.bin", RetentionScenario.Git(s.BarePath(Repo), "ls-tree", "-r", "--name-only", "main"));

        // A hold placed after the mark wins at the sweep: the trashed claim comes back.
        await HoldAsync(s, new { caseReference = "CASE-4", repository = Repo });
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, byRepoLater));
        foreach (var held in new[] { byOid, byPath, byRepoLater, rawFile })
        {
            Assert.Contains(held.Oid, await s.StoredOidsAsync());
        }
    }

    [Fact]
    public async Task A_repository_hold_placed_after_the_mark_keeps_a_trashed_orphan_upload()
    {
        // An orphan is in no pointer index and its trashed claim has left repo_objects: only the
        // trash still ties it to the repository, and that tie must be enough for the hold.
        await using var s = await RetentionScenario.CreateAsync();
        var orphan = RetentionScenario.Content(5);
        await s.UploadAsync(Repo, orphan);
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        await HoldAsync(s, new { caseReference = "CASE-5", repository = Repo });
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Contains(orphan.Oid, await s.StoredOidsAsync());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, orphan));
    }

    [Fact]
    public async Task A_push_that_references_a_trashed_object_again_between_mark_and_sweep_keeps_it()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(1);
        var revert = RetentionScenario.Content(2);
        var first = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, old)), ("other.bin", await s.UploadAsync(Repo, revert)));
        await s.CommitAsync(Repo, "main", ("model.bin", null), ("other.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(2, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        Assert.Equal(404, await s.DownloadStatusAsync(Repo, old));

        // A branch pushed at the old commit (no new commits, nothing uploaded): the tip needs it again.
        await s.SetRefAsync(Repo, "refs/heads/restore", first);
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, old));
        Assert.Equal(ObjectState.Live, await s.StateAsync(old.Oid));
        // A client pushing a revert uploads the bytes again (the batch asks for them), then pushes.
        await s.UploadAsync(Repo, revert);
        await s.CommitAsync(Repo, "main", ("other.bin", new StorageServer.Protocol.Pointers.LfsPointer(StorageServer.Protocol.Oid.Parse(revert.Oid), revert.Bytes.Length).Format()));
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(2, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Contains(old.Oid, await s.StoredOidsAsync());
        Assert.Contains(revert.Oid, await s.StoredOidsAsync());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, revert));
    }

    [Fact]
    public async Task A_push_landing_while_the_mark_trashes_its_object_keeps_it_downloadable()
    {
        string? first = null;
        string? bare = null;
        // The push lands (its ref moves) just before the mark's first trash write, after its own
        // post-receive has already looked for trashed claims to revive: found none, revived none.
        var pushLands = new BeforeFirstInsertInterceptor("retention_trash", () =>
        {
            RetentionScenario.Git(bare, "update-ref", "refs/heads/restore", first!);
            return Task.CompletedTask;
        });
        await using var s = await RetentionScenario.CreateAsync(null, services =>
            services.ConfigureDbContext<SqliteStorageDbContext>(db => db.AddInterceptors(pushLands)));
        bare = s.BarePath(Repo);
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(1);
        var gone = RetentionScenario.Content(2);
        first = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, old)));
        await s.CommitAsync(Repo, "main", ("model.bin", null), ("other.bin", await s.UploadAsync(Repo, gone)));
        await s.CommitAsync(Repo, "main", ("other.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));

        var mark = await s.MarkAsync();

        Assert.Equal(200, await s.DownloadStatusAsync(Repo, old));
        Assert.Equal(ObjectState.Live, await s.StateAsync(old.Oid));
        Assert.Equal(404, await s.DownloadStatusAsync(Repo, gone));
        // The run's totals and report say what is really in the trash.
        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        var report = await s.ReportAsync(mark.GetProperty("id").GetInt64());
        Assert.Equal("completed", report.GetProperty("run").GetProperty("state").GetString());
        Assert.Equal(1, report.GetProperty("run").GetProperty("trashed").GetInt64());
        var items = report.GetProperty("items").EnumerateArray()
            .ToDictionary(i => i.GetProperty("oid").GetString()!, i => i.GetProperty("action").GetString());
        Assert.Equal("kept", items[old.Oid]);
        Assert.Equal("trash", items[gone.Oid]);
    }

    [Fact]
    public async Task A_restore_while_a_sweep_deletes_the_object_waits_for_it_and_then_refuses()
    {
        await using var s = await RetentionScenario.CreateAsync(new Dictionary<string, string?> { ["Retention:SweepFenceWait"] = "00:00:01" });
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, old)));
        await s.CommitAsync(Repo, "main", ("model.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        var mark = await s.MarkAsync();
        var entry = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/retention/trash?oid={old.Oid}"))[0].GetProperty("id").GetInt64();
        // A sweep has fenced the object and is deleting it (its own checks passed before the restore).
        using (var scope = s.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            db.Add(new StorageServer.Retention.Entities.SweepFence { Oid = old.Oid, RunId = mark.GetProperty("id").GetInt64(), CreatedAt = s.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }

        using var restore = await s.Admin.PostAsync($"/api/retention/trash/{entry}/restore", null);

        Assert.Equal(HttpStatusCode.Conflict, restore.StatusCode);
        Assert.Contains("a retention sweep is deleting this object", await restore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(404, await s.DownloadStatusAsync(Repo, old));
        Assert.Equal(ObjectState.Trashed, await s.StateAsync(old.Oid));
        Assert.Equal("trashed", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/retention/trash?oid={old.Oid}"))[0].GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_sweep_asks_git_itself_when_the_reachability_table_missed_a_push()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(1);
        var first = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, old)));
        await s.CommitAsync(Repo, "main", ("model.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        // The ref moves behind the server's back (no post-receive ran).
        RetentionScenario.Git(s.BarePath(Repo), "update-ref", "refs/heads/main", first);
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, old));
    }

    [Fact]
    public async Task An_object_erasure_purged_while_in_the_trash_is_let_go_not_counted_as_revived()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(9);
        await s.CommitAsync(Repo, "main", ("export.bin", await s.UploadAsync(Repo, old)));
        await s.CommitAsync(Repo, "main", ("export.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        using (var tag = await s.Admin.PostAsJsonAsync("/api/erasure/subjects/tags", new { subject = "c-9", oids = new[] { old.Oid } }))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, tag.StatusCode);
        }
        using var filed = await s.Admin.PostAsJsonAsync("/api/erasure/requests", new { subject = "c-9", legalBasis = "GDPR Art. 17(1)(a)" });
        var id = (await filed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await StorageServer.Tests.Erasure.ErasureApi.ApproveAsync(s.Admin, id);
        for (var i = 0; i < 300 && (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}")).GetProperty("state").GetString() != "completed"; i++)
        {
            await Task.Delay(100);
        }
        Assert.Equal(ObjectState.Purged, await s.StateAsync(old.Oid));

        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();
        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(0, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Equal(1, sweep.GetProperty("claimsReleased").GetInt64());
        Assert.Equal(ObjectState.Purged, await s.StateAsync(old.Oid));
    }

    [Fact]
    public async Task A_sweep_that_failed_after_marking_an_object_deleted_is_finished_by_the_next()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var orphan = RetentionScenario.Content(6);
        await s.UploadAsync(Repo, orphan);
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(8));
        // As a sweep leaves it when deleting the bytes throws: marked deleted, fence lifted, entry still trashed.
        using (var scope = s.Factory.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Objects.Where(o => o.Oid == orphan.Oid)
                .ExecuteUpdateAsync(u => u.SetProperty(o => o.State, ObjectState.Deleted));
        }

        var sweep = await s.SweepAsync();

        Assert.Equal(1, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(0, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.DoesNotContain(orphan.Oid, await s.StoredOidsAsync());
        Assert.Equal(410, await s.DownloadStatusAsync(Repo, orphan));
    }

    [Fact]
    public async Task An_upload_running_during_a_sweep_is_untouched()
    {
        await using var s = await RetentionScenario.CreateAsync(new Dictionary<string, string?> { ["Retention:SweepFenceWait"] = "00:00:05" });
        var content = RetentionScenario.Content(5, 4096);
        await s.UploadAsync(Repo, content);
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());
        s.Clock.Advance(TimeSpan.FromDays(8));

        // A stale clone pushes the same bytes again; the body stalls halfway while the sweep runs.
        // (Driven at the upload service: the in-process test server sends a request body whole.)
        using var scope = s.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repositoryId = await db.Repositories.Where(r => r.Name == Repo).Select(r => r.Id).SingleAsync();
        var body = new GatedStream(content.Bytes, half: content.Bytes.Length / 2);
        var upload = scope.ServiceProvider.GetRequiredService<StorageServer.Objects.ObjectUploadService>()
            .UploadAsync(repositoryId, StorageServer.Protocol.Oid.Parse(content.Oid), content.Bytes.Length, body, "alice", "refs/heads/main", CancellationToken.None);
        await body.HalfRead.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var sweep = await s.SweepAsync();
        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedBusy").GetInt64());
        Assert.Contains(content.Oid, await s.StoredOidsAsync());

        body.Release.SetResult();
        Assert.Equal(StorageServer.Objects.UploadOutcome.AlreadyStored, (await upload).Outcome);
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, content));
        var next = await s.SweepAsync();
        Assert.Equal(0, next.GetProperty("swept").GetInt64());
        Assert.Contains(content.Oid, await s.StoredOidsAsync());
        Assert.False(await s.Factory.Services.GetRequiredService<StorageServer.Retention.Sweeping.UploadLeases>()
            .IsLeasedAsync(db, content.Oid, s.Factory.Clock.GetUtcNow(), CancellationToken.None));
    }

    [Fact]
    public async Task Max_age_removes_expired_files_from_branch_tips_in_a_reviewable_server_commit()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var policy = await s.CreatePolicyAsync(new { name = "raw data 10 days", pathGlob = "raw/**", maxAgeDays = 10 });
        var raw = RetentionScenario.Content(1);
        var kept = RetentionScenario.Content(2);
        await s.CommitAsync(Repo, "main", ("raw/people.csv", await s.UploadAsync(Repo, raw)), ("model.bin", await s.UploadAsync(Repo, kept)));
        s.Clock.Advance(TimeSpan.FromDays(9));
        var dry = await s.MarkAsync(dryRun: true);
        Assert.Equal(0, dry.GetProperty("filesExpired").GetInt64());

        s.Clock.Advance(TimeSpan.FromDays(2));
        var preview = await s.MarkAsync(dryRun: true);
        Assert.Equal(1, preview.GetProperty("filesExpired").GetInt64());
        Assert.Contains("raw/people.csv", RetentionScenario.Git(s.BarePath(Repo), "ls-tree", "-r", "--name-only", "main"));
        var mark = await s.MarkAsync();

        Assert.Equal(1, mark.GetProperty("filesExpired").GetInt64());
        var bare = s.BarePath(Repo);
        Assert.Equal("model.bin", RetentionScenario.Git(bare, "ls-tree", "-r", "--name-only", "main"));
        var log = RetentionScenario.Git(bare, "log", "-1", "--format=%an|%B", "main");
        Assert.StartsWith("StorageServer|Retention: remove 1 file(s)", log);
        Assert.Contains($"#{policy}", log);
        Assert.Contains("raw/people.csv", log);
        // History keeps it until normal reclaim: no history rule here, so it stays stored.
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, raw));
    }

    private static async Task HoldAsync(RetentionScenario s, object hold)
    {
        using var response = await s.Admin.PostAsJsonAsync("/api/holds", hold);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }
}
