using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using StorageServer.Data;
using StorageServer.Data.DesignTime;

namespace StorageServer.Tests.Data;

/// <summary>
/// The metadata lookup that spares the server loading every type at startup finds exactly what a
/// full reflection scan (EF Core's own discovery) finds: every entity configuration, and each
/// context's migrations and snapshot. A class deriving through a base of its own would be missed
/// by the lookup and fails here.
/// </summary>
public sealed class AssemblyMetadataTypesTests
{
    private static readonly Assembly Server = typeof(StorageDbContext).Assembly;

    private static IEnumerable<Type> ConcreteClasses() =>
        Server.GetTypes().Where(t => t.IsClass && !t.IsAbstract && !t.IsGenericTypeDefinition);

    [Theory]
    [InlineData(typeof(Migration))]
    [InlineData(typeof(ModelSnapshot))]
    public void Finds_every_class_a_full_scan_finds_deriving_from(Type baseType)
    {
        var expected = ConcreteClasses().Where(t => t.IsSubclassOf(baseType)).Select(t => t.FullName).Order().ToList();

        var found = AssemblyMetadataTypes.DerivedFrom(Server, baseType).Select(t => t.FullName).Order().ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Finds_every_entity_configuration_a_full_scan_finds()
    {
        var expected = ConcreteClasses()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            .Select(t => t.FullName).Order().ToList();

        var found = AssemblyMetadataTypes.Implementing(Server, typeof(IEntityTypeConfiguration<>)).Select(t => t.FullName).Order().ToList();

        Assert.True(expected.Count > 20, $"only {expected.Count} configurations in the assembly");
        Assert.Equal(expected, found);
    }

    [Fact]
    public void Each_context_gets_its_own_migrations_and_snapshot()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        foreach (StorageDbContext context in new StorageDbContext[] { sqlite, postgres })
        {
            var expected = ConcreteClasses()
                .Where(t => t.IsSubclassOf(typeof(Migration)) && t.GetCustomAttribute<DbContextAttribute>()?.ContextType == context.GetType())
                .Select(t => t.GetCustomAttribute<MigrationAttribute>()!.Id).Order(StringComparer.Ordinal).ToList();

            var migrations = context.GetService<IMigrationsAssembly>();

            Assert.IsType<MetadataMigrationsAssembly>(migrations);
            Assert.True(expected.Count > 10, $"{context.GetType().Name}: only {expected.Count} migrations");
            Assert.Equal(expected, migrations.Migrations.Keys.ToList());
            Assert.All(migrations.Migrations.Values, t => Assert.Equal(context.GetType(), t.GetCustomAttribute<DbContextAttribute>()!.ContextType));
            Assert.Equal(context.GetType(), migrations.ModelSnapshot!.GetType().GetCustomAttribute<DbContextAttribute>()!.ContextType);
            Assert.Equal(expected[^1], migrations.FindMigrationId(expected[^1][15..]));
        }
    }
}
