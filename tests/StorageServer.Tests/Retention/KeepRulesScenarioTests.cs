using System.Net.Http.Json;

namespace StorageServer.Tests.Retention;

/// <summary>
/// The per-object rule of the retention spec against histories git builds: every occurrence on
/// every ref (or on no ref) must let an object go, keep-last-N counts versions as the trees hold
/// them, refs peel to trees and blobs too, and the sweep decides again with what holds at that moment.
/// </summary>
public sealed class KeepRulesScenarioTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task Keep_last_N_counts_the_versions_the_trees_hold_along_the_ref_not_where_they_were_introduced()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "only main is protected", protectedRefs = new[] { "refs/heads/main" } });
        await s.CreatePolicyAsync(new { name = "last 2 on topic", refGlob = "refs/heads/topic", keepLastVersions = 2 });
        var (x, y1, y2) = (RetentionScenario.Content(1), RetentionScenario.Content(2), RetentionScenario.Content(3));
        var work = s.WorkTree(Repo);
        s.GitWork(Repo, "checkout", "-q", "-b", "topic");
        await WriteAndCommitAsync(s, work, "model.bin", await s.UploadAsync(Repo, x), "a: x");
        s.GitWork(Repo, "checkout", "-q", "-b", "side");
        await WriteAndCommitAsync(s, work, "notes.txt", "side work\n", "k1: x inherited");
        s.GitWork(Repo, "checkout", "-q", "topic");
        await WriteAndCommitAsync(s, work, "model.bin", await s.UploadAsync(Repo, y1), "h1: y1");
        await WriteAndCommitAsync(s, work, "model.bin", await s.UploadAsync(Repo, y2), "h2: y2");
        s.GitWork(Repo, "merge", "-q", "--no-edit", "side");
        await s.FetchAsync(Repo, "+refs/heads/topic:refs/heads/topic");

        // rev-list --topo-order topic: merge (y2), k1 (x, from a), h2 (y2), h1 (y1), a (x). Walking
        // the trees the first two versions are y2 and x; walking introductions they would be y2, y1.
        s.Clock.Advance(TimeSpan.FromDays(2));
        var mark = await s.MarkAsync();

        Assert.Equal(1, mark.GetProperty("trashed").GetInt64());
        Assert.Equal(404, await s.DownloadStatusAsync(Repo, y1));
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, x));
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, y2));
    }

    [Fact]
    public async Task A_policy_widened_between_mark_and_sweep_keeps_the_history_it_now_covers()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var policy = await s.CreatePolicyAsync(new { name = "days", keepDaysAfterDereference = 1 });
        var v1 = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v1)));
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, RetentionScenario.Content(2))));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        using (var widened = await s.Admin.PutAsJsonAsync($"/api/retention/policies/{policy}", new { name = "days", keepDaysAfterDereference = 365 }))
        {
            Assert.True(widened.IsSuccessStatusCode);
        }
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(1, sweep.GetProperty("skippedRevived").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, v1));
    }

    [Fact]
    public async Task A_ref_pushed_after_the_mark_whose_history_no_rule_covers_keeps_it_at_the_sweep()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "main history", refGlob = "refs/heads/main", keepDaysAfterDereference = 1 });
        var v1 = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, v1)));
        var c2 = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, RetentionScenario.Content(2))));
        s.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        // Its tip holds v2, so the push revives nothing; its history holds v1, which no rule lets go.
        await s.SetRefAsync(Repo, "refs/heads/archive", c2);
        s.Clock.Advance(TimeSpan.FromDays(8));
        var sweep = await s.SweepAsync();

        Assert.Equal(0, sweep.GetProperty("swept").GetInt64());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, v1));
    }

    [Fact]
    public async Task A_commit_no_ref_reaches_keeps_what_its_tree_holds()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "main history", refGlob = "refs/heads/main", keepDaysAfterDereference = 1 });
        var x = RetentionScenario.Content(1);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, x)));
        await s.CommitAsync(Repo, "feature", ("notes.txt", "feature work\n"));
        await s.SetRefAsync(Repo, "refs/heads/feature", null);
        await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, RetentionScenario.Content(2))));
        s.Clock.Advance(TimeSpan.FromDays(2));

        // x was introduced on main (released by the rule), but the deleted branch's commit still has
        // it in its tree, on no ref, where no rule applies.
        var mark = await s.MarkAsync();

        Assert.Equal(0, mark.GetProperty("candidates").GetInt64());
        Assert.Equal(1, mark.GetProperty("summary").GetProperty("kept").GetProperty("history-without-rule").GetInt64());
    }

    [Fact]
    public async Task Tags_of_a_tree_and_of_a_blob_keep_what_they_name()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var (model, weights) = (RetentionScenario.Content(1), RetentionScenario.Content(2));
        var c1 = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, model)), ("weights.bin", await s.UploadAsync(Repo, weights)));
        var bare = s.BarePath(Repo);
        RetentionScenario.Git(bare, "-c", "user.name=t", "-c", "user.email=t@t", "tag", "-a", "snapshot", "-m", "the tree", RetentionScenario.Git(bare, "rev-parse", c1 + "^{tree}"));
        RetentionScenario.Git(bare, "tag", "weights", RetentionScenario.Git(bare, "rev-parse", c1 + ":weights.bin"));
        await s.CommitAsync(Repo, "main", ("model.bin", null), ("weights.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(2));

        var mark = await s.MarkAsync();

        Assert.Equal(0, mark.GetProperty("candidates").GetInt64());
        Assert.Equal(2, mark.GetProperty("summary").GetProperty("kept").GetProperty("protected-tip").GetInt64());
    }

    [Fact]
    public async Task A_mark_that_reclaims_nothing_says_why_and_a_candidate_says_why_it_goes()
    {
        await using var s = await RetentionScenario.CreateAsync();
        var c1 = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, RetentionScenario.Content(1))));
        await s.SetRefAsync(Repo, "refs/pull/1/head", c1);
        var orphan = RetentionScenario.Content(2);
        await s.UploadAsync(Repo, orphan);

        var dry = await s.MarkAsync(dryRun: true);
        var report = await s.ReportAsync(dry.GetProperty("id").GetInt64());

        var summary = dry.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("claims").GetInt64());
        Assert.Equal(
            ["nothing to reclaim: all 2 claims examined are kept", "1 at the tip of a protected ref", "1 younger than the orphan grace", "ref refs/pull/1/head of team/data is not protected"],
            summary.GetProperty("explanation").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            summary.GetProperty("explanation").EnumerateArray().Select(e => e.GetString()),
            report.GetProperty("run").GetProperty("summary").GetProperty("explanation").EnumerateArray().Select(e => e.GetString()));

        s.Clock.Advance(TimeSpan.FromDays(2));
        var later = await s.MarkAsync(dryRun: true);
        var item = Assert.Single((await s.ReportAsync(later.GetProperty("id").GetInt64())).GetProperty("items").EnumerateArray());
        Assert.Equal(orphan.Oid, item.GetProperty("oid").GetString());
        Assert.StartsWith("no pushed commit references it", item.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 of 2 claims examined can be reclaimed", later.GetProperty("summary").GetProperty("explanation").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Maximum_ages_apply_to_branches_with_slashes_in_their_names()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "logs expire", pathGlob = "logs/**", refGlob = "refs/heads/team/**", maxAgeDays = 10 });
        await s.CommitAsync(Repo, "team/a", ("logs/run.bin", await s.UploadAsync(Repo, RetentionScenario.Content(1))), ("keep.txt", "k\n"));
        s.Clock.Advance(TimeSpan.FromDays(11));

        var mark = await s.MarkAsync();

        Assert.Equal(1, mark.GetProperty("filesExpired").GetInt64());
        Assert.Equal("keep.txt", RetentionScenario.Git(s.BarePath(Repo), "ls-tree", "-r", "--name-only", "refs/heads/team/a"));
    }

    private static async Task WriteAndCommitAsync(RetentionScenario s, string work, string path, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(work, path), content);
        s.GitWork(Repo, "add", path);
        s.GitWork(Repo, "commit", "-q", "-m", message);
    }
}
