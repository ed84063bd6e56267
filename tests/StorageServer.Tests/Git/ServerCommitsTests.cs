using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Git;
using StorageServer.Protocol.Pointers;
using StorageServer.Tests.Support;
using LfsOid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Git;

/// <summary>Commits the server makes itself, on a real bare repository.</summary>
public sealed class ServerCommitsTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("server-commits-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task Edits_the_branch_tip_in_one_commit_by_the_server_and_indexes_it()
    {
        using var server = new StorageServerFactory();
        await server.CreateRepoAsync("team/data");
        var bare = server.Services.GetRequiredService<GitRepositoryLayout>().PathOf("team/data");
        var old = Pointer('1', 100);
        var successor = Pointer('2', 90);
        var tip = Seed(bare, ("data/customers.csv", old.Format()), ("models/m.bin", Pointer('3', 5).Format()), ("readme.md", "hello\n"));

        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        var repository = await db.Repositories.SingleAsync(r => r.Name == "team/data");
        var commits = scope.ServiceProvider.GetRequiredService<ServerCommits>();
        var result = await commits.CommitAsync(repository, "refs/heads/main", tip,
            [new TreeEdit("data/customers.csv", Encoding.UTF8.GetBytes(successor.Format())), new TreeEdit("models/m.bin", null)],
            "Redact data/customers.csv for erasure request ER-7", CancellationToken.None);

        Assert.True(result.Committed);
        Assert.False(result.Conflict);
        Assert.Equal(result.CommitSha, Git(bare, "rev-parse", "refs/heads/main"));
        Assert.Equal(tip, Git(bare, "rev-parse", "refs/heads/main^"));
        Assert.Equal(successor.Format(), Git(bare, "show", "refs/heads/main:data/customers.csv") + "\n");
        Assert.Equal("data/customers.csv\nreadme.md", Git(bare, "ls-tree", "-r", "--name-only", "refs/heads/main"));
        Assert.Equal("StorageServer <storageserver@localhost>|Redact data/customers.csv for erasure request ER-7",
            Git(bare, "log", "-1", "--format=%an <%ae>|%s", "refs/heads/main"));
        var indexed = await db.PointerRefs.AsNoTracking().Where(p => p.CommitSha == result.CommitSha).Select(p => p.Path + "=" + p.Oid).ToListAsync();
        Assert.Equal([$"data/customers.csv={successor.Oid}"], indexed);
    }

    [Fact]
    public async Task A_push_that_landed_first_wins_and_the_ref_is_untouched()
    {
        using var server = new StorageServerFactory();
        await server.CreateRepoAsync("team/data");
        var bare = server.Services.GetRequiredService<GitRepositoryLayout>().PathOf("team/data");
        var first = Seed(bare, ("a.bin", Pointer('1', 1).Format()));
        var second = Seed(bare, ("a.bin", Pointer('4', 4).Format()));

        using var scope = server.Services.CreateScope();
        var repository = await scope.ServiceProvider.GetRequiredService<StorageDbContext>().Repositories.SingleAsync();
        var commits = scope.ServiceProvider.GetRequiredService<ServerCommits>();
        var result = await commits.CommitAsync(repository, "refs/heads/main", first, [new TreeEdit("a.bin", null)], "remove", CancellationToken.None);

        Assert.False(result.Committed);
        Assert.True(result.Conflict);
        Assert.Equal(second, Git(bare, "rev-parse", "refs/heads/main"));
        await Assert.ThrowsAsync<ArgumentException>(() => commits.CommitAsync(repository, "refs/tags/v1", second, [], "x", CancellationToken.None));
        Assert.Empty(Directory.GetFiles(bare, "storageserver-index-*"));
    }

    private static LfsPointer Pointer(char digit, long size) => new(LfsOid.Parse(new string(digit, 64)), size);

    /// <summary>Commits the files in a scratch clone and fetches the result into the bare repo (no receive hooks run).</summary>
    private string Seed(string bare, params (string Path, string Content)[] files)
    {
        var work = Path.Combine(_work, "w");
        if (!Directory.Exists(work))
        {
            Git(null, "init", "-q", "-b", "main", work);
        }
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        Git(Path.Combine(work, ".git"), "--work-tree", work, "add", "-A");
        Git(Path.Combine(work, ".git"), "--work-tree", work, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "seed");
        Git(bare, "fetch", "-q", work, "+main:refs/heads/main");
        return Git(bare, "rev-parse", "refs/heads/main");
    }

    private static string Git(string? gitDir, params string[] arguments) => GitCommand.Run(gitDir, arguments);
}
