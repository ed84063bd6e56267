using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Data;

/// <summary>
/// EF Core's migrations of a context, as its default <c>MigrationsAssembly</c> finds them (the
/// <see cref="Migration"/> classes whose <see cref="DbContextAttribute"/> names the context, by
/// <see cref="MigrationAttribute"/> id, and its <see cref="ModelSnapshot"/>), but without loading every
/// type of the assembly to look for them (<see cref="AssemblyMetadataTypes"/>): the server checks for
/// pending migrations at every start. Both providers' migrations live in the context's own assembly.
/// </summary>
internal sealed class MetadataMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator idGenerator) : IMigrationsAssembly
{
    /// <summary>
    /// Puts this lookup in place of EF's. Pooled contexts get it where their options are built: a
    /// pooled context may not change its options in <c>OnConfiguring</c> (EF throws).
    /// </summary>
    public static DbContextOptionsBuilder UseIn(DbContextOptionsBuilder builder) =>
        builder.ReplaceService<IMigrationsAssembly, MetadataMigrationsAssembly>();

    public static bool IsUsedBy(IDbContextOptions options) =>
        options.FindExtension<CoreOptionsExtension>()?.ReplacedServices?.ContainsKey((typeof(IMigrationsAssembly), null)) == true;

    private readonly Type _contextType = currentContext.Context.GetType();
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private Lazy<ModelSnapshot?>? _snapshot;

    public Assembly Assembly => _contextType.Assembly;

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= FindMigrations();

    public ModelSnapshot? ModelSnapshot => (_snapshot ??= new Lazy<ModelSnapshot?>(FindSnapshot)).Value;

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(idGenerator.IsValidId(nameOrId)
            ? id => string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            : id => string.Equals(idGenerator.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private SortedDictionary<string, TypeInfo> FindMigrations()
    {
        var migrations = new SortedDictionary<string, TypeInfo>(StringComparer.Ordinal);
        foreach (var type in AssemblyMetadataTypes.DerivedFrom(Assembly, typeof(Migration)).Where(OfThisContext))
        {
            if (type.GetCustomAttribute<MigrationAttribute>()?.Id is { } id)
            {
                migrations.Add(id, type.GetTypeInfo());
            }
        }
        return migrations;
    }

    private ModelSnapshot? FindSnapshot() =>
        AssemblyMetadataTypes.DerivedFrom(Assembly, typeof(ModelSnapshot)).Where(OfThisContext)
            .Select(type => (ModelSnapshot)Activator.CreateInstance(type)!).FirstOrDefault();

    private bool OfThisContext(Type type) => type.GetCustomAttribute<DbContextAttribute>()?.ContextType == _contextType;
}
