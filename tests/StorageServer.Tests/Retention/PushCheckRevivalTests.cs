using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Dvc.Indexing;
using StorageServer.Indexing;
using StorageServer.Protocol.Pointers;
using LfsOid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Retention;

/// <summary>
/// The push check runs before git updates the pushed refs. When it accepts a ref whose tip names an
/// object in the repository's retention trash, the claim must be back before the check answers: a
/// sweep between the check and the ref update finds no ref that keeps the object. The same for the
/// DVC outputs of the tip's tree (a ref at an old commit is not among the push's new commits).
/// </summary>
public sealed class PushCheckRevivalTests
{
    private const string Repo = "team/data";

    [Fact]
    public async Task A_trashed_object_a_pushed_tip_names_is_put_back_before_the_ref_exists_so_a_sweep_meanwhile_keeps_it()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var old = RetentionScenario.Content(1);
        var first = await s.CommitAsync(Repo, "main", ("model.bin", await s.UploadAsync(Repo, old)));
        await s.CommitAsync(Repo, "main", ("model.bin", null));
        s.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        // The pre-receive check of `git push origin <first>:refs/heads/old`: the ref is not there yet.
        await using (var scope = s.Factory.Services.CreateAsyncScope())
        {
            var repository = await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Repositories.SingleAsync(r => r.Name == Repo);
            var pointer = new PointerEntry(first, "model.bin", new LfsPointer(LfsOid.Parse(old.Oid), old.Bytes.Length));
            var lost = await scope.ServiceProvider.GetRequiredService<LfsObjectCheck>().FindLostAsync(repository.Id, [pointer], CancellationToken.None);
            Assert.Empty(lost);
        }

        // A sweep after the trash window, before git updates the ref, deletes nothing.
        s.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(0, (await s.SweepAsync()).GetProperty("swept").GetInt64());
        Assert.Contains(old.Oid, await s.StoredOidsAsync());
        Assert.Equal(200, await s.DownloadStatusAsync(Repo, old));
    }

    [Fact]
    public async Task A_trashed_DVC_output_in_the_tree_of_a_ref_pushed_at_an_old_commit_is_put_back_before_the_ref_exists()
    {
        await using var s = await RetentionScenario.CreateAsync();
        await s.CreatePolicyAsync(new { name = "1 day", keepDaysAfterDereference = 1 });
        var data = RetentionScenario.Content(2);
#pragma warning disable CA5351 // DVC's object ids are MD5s.
        var md5 = Convert.ToHexStringLower(MD5.HashData(data.Bytes));
#pragma warning restore CA5351
        using (var client = s.Factory.CreateBasicClient(s.Token))
        using (var body = new ByteArrayContent(data.Bytes))
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/{Repo}.git/info/dvc/files/md5/{md5[..2]}/{md5[2..]}", body)).StatusCode);
        }
        var first = await s.CommitAsync(Repo, "main", ("model.bin.dvc", $"outs:\n- md5: {md5}\n  size: {data.Bytes.Length}\n  hash: md5\n  path: model.bin\n"));
        await s.CommitAsync(Repo, "main", ("model.bin.dvc", null));
        s.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(1, (await s.MarkAsync()).GetProperty("trashed").GetInt64());

        // The pre-receive check of `git push origin <first>:refs/heads/old`: no new commit, the ref is not there yet.
        await using (var scope = s.Factory.Services.CreateAsyncScope())
        {
            var repository = await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Repositories.SingleAsync(r => r.Name == Repo);
            var lost = await scope.ServiceProvider.GetRequiredService<DvcTipCheck>().FindLostAsync(repository.Id, s.BarePath(Repo), [first], null, CancellationToken.None);
            Assert.Empty(lost);
        }

        s.Clock.Advance(TimeSpan.FromDays(8));
        Assert.Equal(0, (await s.SweepAsync()).GetProperty("swept").GetInt64());
        Assert.Contains(data.Oid, await s.StoredOidsAsync());
    }
}
