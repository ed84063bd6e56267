namespace StorageServer.Data;

/// <summary>
/// Identifiers for the few statements written by hand (bulk inserts, lease deletes), taken from the EF
/// model so the schema is still spelled once there. Double quotes are standard SQL and quote an
/// identifier on both providers (SQLite and PostgreSQL).
/// </summary>
internal static class SqlIdentifiers
{
    /// <summary><paramref name="identifier"/> as a quoted SQL identifier; an embedded quote is doubled.</summary>
    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
