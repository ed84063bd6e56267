namespace StorageServer.WebConsole.Sessions;

/// <summary>Claims a console session adds to the signed-in credential's own, to re-check it on every request.</summary>
internal static class ConsoleClaims
{
    /// <summary>The personal access token the session was opened with (its id, never its text).</summary>
    public const string TokenId = "console:token-id";

    /// <summary>A fingerprint of the admin token the session was opened with: rotating the admin token ends the session.</summary>
    public const string AdminFingerprint = "console:admin-fingerprint";

    /// <summary>When the credential itself expires (a JWT's <c>exp</c>, a token's expiry), unix seconds.</summary>
    public const string CredentialExpires = "console:credential-expires";

    /// <summary>Not the admin token's hash (which authenticates nothing, but stays out of the session table all the same).</summary>
    public static string Fingerprint(string adminTokenHash) => Auth.TokenHasher.Hash("console-session:" + adminTokenHash)[..32];
}
