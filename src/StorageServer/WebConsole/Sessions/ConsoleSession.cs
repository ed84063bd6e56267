namespace StorageServer.WebConsole.Sessions;

/// <summary>
/// A signed-in console session, kept server-side so that signing out (or revoking the token it
/// was opened with) ends it on every node. The browser's cookie holds only a data-protected random
/// key; this row is found by that key's SHA-256, so the table alone cannot be replayed as cookies.
/// </summary>
public sealed class ConsoleSession
{
    /// <summary>Lowercase hex SHA-256 of the session key.</summary>
    public required string KeyHash { get; set; }

    public required string User { get; set; }

    /// <summary>The serialized authentication ticket: the user's claims, never the token it signed in with.</summary>
    public required byte[] Ticket { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}
