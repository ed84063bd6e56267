using System.Reflection;

namespace StorageServer.Data.Migrations.Quartz;

/// <summary>
/// Quartz.NET's own schema for its ADO.NET job store, as the Quartz 4.7.3 package ships it
/// (embedded in Quartz.dll, generated upstream from quartznet/quartznet
/// <c>build/Build.DatabaseSchema.cs</c>; the older hand-written <c>database/tables/tables_*.sql</c>
/// lack the columns 4.x validates at startup). The files next to this class are that SQL verbatim
/// (line endings normalised); only the table prefix placeholders are filled in here.
/// </summary>
internal static class QuartzSchemaScript
{
    /// <summary>Our prefix for Quartz's tables. Lowercase so PostgreSQL's folded names match.</summary>
    public const string TablePrefix = "qrtz_";

    /// <summary>The statements of <c>tables_{dialect}.sql</c> (<c>sqlite</c> or <c>postgres</c>), in order.</summary>
    public static IReadOnlyList<string> Statements(string dialect)
    {
        var name = $"StorageServer.Data.Migrations.Quartz.tables_{dialect}.sql";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        using var reader = new StreamReader(stream);
        // '{0}' is the prefix, '{1}' the prefix without a schema qualifier (we use none). Statements
        // are separated by a line reading exactly '--;;' (see the script's header).
        var script = reader.ReadToEnd().Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);
        return script.Split("\n--;;\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s.Split('\n').Any(line => line.Trim().Length > 0 && !line.TrimStart().StartsWith("--", StringComparison.Ordinal)))
            .ToList();
    }
}
