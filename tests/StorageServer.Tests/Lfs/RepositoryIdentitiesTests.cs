using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Repos;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Lfs;

/// <summary>Transfers find their repository's id by name without a query once it was found.</summary>
public sealed class RepositoryIdentitiesTests
{
    [Fact]
    public async Task A_repository_is_found_by_name_with_its_id_and_a_missing_one_is_found_once_it_is_created()
    {
        using var server = new StorageServerFactory();
        var identities = server.Services.GetRequiredService<RepositoryIdentities>();
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
        await server.CreateRepoAsync("team/first");

        Assert.Null(await identities.FindAsync(db, "team/later", CancellationToken.None));
        await server.CreateRepoAsync("team/later");
        var later = await identities.FindAsync(db, "team/later", CancellationToken.None);
        var first = await identities.FindAsync(db, "team/first", CancellationToken.None);

        Assert.Equal(await db.Repositories.Where(r => r.Name == "team/later").Select(r => r.Id).SingleAsync(), later?.Id);
        Assert.Equal("team/later", later?.Name);
        Assert.Equal(await db.Repositories.Where(r => r.Name == "team/first").Select(r => r.Id).SingleAsync(), first?.Id);
        Assert.NotEqual(first?.Id, later?.Id);
        Assert.Same(later, await identities.FindAsync(db, "team/later", CancellationToken.None)); // remembered
        Assert.Null(await identities.FindAsync(db, "Team/Later", CancellationToken.None)); // names are case-sensitive
    }
}
