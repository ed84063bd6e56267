using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Metadata;

namespace StorageServer.Objects.Recording;

/// <summary>
/// One SQL statement on a long-lived SQLite connection, with a parameter per EF property whose values
/// are converted as EF stores them. Microsoft.Data.Sqlite prepares a command on its first run and keeps
/// the prepared statement while its text and connection stay the same, so each later run skips SQLite's
/// parser (issue 17: preparation was SQLite's largest cost per upload record).
/// </summary>
internal sealed class PreparedStatement
{
    private readonly SqliteCommand _command;
    private readonly IProperty[] _properties;

    public PreparedStatement(SqliteConnection connection, string sql, params (string Name, IProperty Property)[] parameters)
    {
        _command = connection.CreateCommand();
        _command.CommandText = sql;
        _properties = parameters.Select(p => p.Property).ToArray();
        foreach (var (name, _) in parameters)
        {
            _command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
    }

    public int Execute(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteNonQuery();
    }

    public SqliteDataReader Read(params object?[] values)
    {
        Bind(values);
        return _command.ExecuteReader();
    }

    private void Bind(object?[] values)
    {
        for (var i = 0; i < _properties.Length; i++)
        {
            _command.Parameters[i].Value = values[i] is { } value
                ? _properties[i].GetTypeMapping().Converter?.ConvertToProvider(value) ?? value
                : DBNull.Value;
        }
    }
}
