using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace StorageServer.Tests.Support.Databases;

/// <summary>
/// A schema as sorted, comparable lines: every column (store type, nullability, identity), primary
/// key, index (name, uniqueness, columns) and foreign key (columns, principal, delete rule). The
/// model's expectation and each provider's reader produce the same format, so a migration that
/// drifts from the model shows up as the first differing line.
/// </summary>
public static class SchemaDescription
{
    public static IReadOnlyList<string> FromModel(IModel model)
    {
        var lines = new List<string>();
        foreach (var table in model.GetRelationalModel().Tables)
        {
            foreach (var column in table.Columns)
            {
                var identity = column.PropertyMappings.Any(m => m.Property.IsPrimaryKey() && m.Property.ValueGenerated.HasFlag(ValueGenerated.OnAdd));
                lines.Add(Column(table.Name, column.Name, column.StoreType, column.IsNullable, identity));
            }
            lines.Add(PrimaryKey(table.Name, table.PrimaryKey!.Columns.Select(c => c.Name)));
            lines.AddRange(table.Indexes.Select(i => Index(table.Name, i.Name, i.IsUnique, i.Columns.Select(c => c.Name))));
            lines.AddRange(table.ForeignKeyConstraints.Select(fk => ForeignKey(
                table.Name, fk.Columns.Select(c => c.Name), fk.PrincipalTable.Name, fk.PrincipalColumns.Select(c => c.Name), DeleteRule(fk.OnDeleteAction))));
        }
        return Sorted(lines);
    }

    public static IReadOnlyList<string> Sorted(IEnumerable<string> lines) => lines.Order(StringComparer.Ordinal).ToList();

    public static string Column(string table, string column, string storeType, bool nullable, bool identity) =>
        $"{table}.{column} {storeType.ToLowerInvariant()} {(nullable ? "NULL" : "NOT NULL")}{(identity ? " IDENTITY" : string.Empty)}";

    public static string PrimaryKey(string table, IEnumerable<string> columns) => $"{table} PRIMARY KEY ({string.Join(", ", columns)})";

    public static string Index(string table, string name, bool unique, IEnumerable<string> columns) =>
        $"{table} INDEX {name} {(unique ? "UNIQUE " : string.Empty)}({string.Join(", ", columns)})";

    public static string ForeignKey(string table, IEnumerable<string> columns, string principal, IEnumerable<string> principalColumns, string deleteRule) =>
        $"{table} FOREIGN KEY ({string.Join(", ", columns)}) REFERENCES {principal} ({string.Join(", ", principalColumns)}) ON DELETE {deleteRule.ToUpperInvariant()}";

    private static string DeleteRule(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.Restrict => "RESTRICT",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        _ => "NO ACTION",
    };
}
