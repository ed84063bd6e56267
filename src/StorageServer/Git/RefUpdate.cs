namespace StorageServer.Git;

/// <summary>One <c>old new ref</c> line of a push, as git gives it to the receive hooks.</summary>
internal sealed record RefUpdate(string Old, string New, string Ref)
{
    public bool IsDeletion => New.All(c => c == '0');

    public bool IsCreation => Old.All(c => c == '0');

    /// <summary>Null when the line is not <c>&lt;old&gt; &lt;new&gt; refs/…</c> with full object names.</summary>
    public static RefUpdate? Parse(string line)
    {
        var parts = line.Trim().Split(' ', 3);
        return parts.Length == 3 && IsObjectName(parts[0]) && IsObjectName(parts[1]) && parts[2].StartsWith("refs/", StringComparison.Ordinal)
            ? new RefUpdate(parts[0], parts[1], parts[2])
            : null;
    }

    private static bool IsObjectName(string value) => value.Length is 40 or 64 && value.All(char.IsAsciiHexDigitLower);
}
