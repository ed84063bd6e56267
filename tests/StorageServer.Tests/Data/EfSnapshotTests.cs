using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data;
using StorageServer.Data.DesignTime;

namespace StorageServer.Tests.Data;

/// <summary>
/// The model snapshots agree with the model: for each provider, the operations EF would put in the
/// next generated migration (<c>dotnet ef migrations add</c> diffs the compiled snapshot against the
/// current model with the same <see cref="IMigrationsModelDiffer"/>) are none, so the next migration
/// holds only its own change. In process, through the design-time factories <c>dotnet ef</c> uses;
/// <c>scripts/ef-snapshots.sh --check</c> runs the literal tool for people (it takes ~40 s, this ~1 s).
/// </summary>
public sealed class EfSnapshotTests
{
    [Fact]
    public void The_sqlite_snapshot_matches_the_model() =>
        AssertNoPendingOperations(new SqliteDesignTimeFactory().CreateDbContext([]));

    [Fact]
    public void The_postgres_snapshot_matches_the_model() =>
        AssertNoPendingOperations(new PostgresDesignTimeFactory().CreateDbContext([]));

    private static void AssertNoPendingOperations(StorageDbContext context)
    {
        using (context)
        {
            var migrations = context.GetService<IMigrationsAssembly>();
            Assert.NotNull(migrations.ModelSnapshot);
            // The snapshot's model is finalized the way `migrations add` does before diffing.
            var snapshot = context.GetService<IModelRuntimeInitializer>()
                .Initialize((IModel)migrations.ModelSnapshot!.Model, designTime: true, validationLogger: null);
            var current = context.GetService<IDesignTimeModel>().Model;

            var operations = context.GetService<IMigrationsModelDiffer>()
                .GetDifferences(snapshot.GetRelationalModel(), current.GetRelationalModel());

            Assert.True(operations.Count == 0,
                $"{context.GetType().Name}: the snapshot lacks {operations.Count} change(s) of the model " +
                $"({string.Join(", ", operations.Select(o => o.GetType().Name))}); run scripts/ef-snapshots.sh");
            Assert.False(context.Database.HasPendingModelChanges());
        }
    }
}
