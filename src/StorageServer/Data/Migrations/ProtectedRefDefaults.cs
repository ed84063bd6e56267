namespace StorageServer.Data.Migrations;

/// <summary>
/// The data change of the <c>RefGlobDefaults</c> migrations: stored <c>protectedRefs</c> lines that
/// are the old documented default, <c>refs/heads/*</c> or <c>refs/tags/*</c> (which, as path globs,
/// never matched a slash-named branch or tag), become <c>refs/heads/**</c> and <c>refs/tags/**</c>:
/// every branch and tag at any depth, what the default always meant to say. This only widens
/// protection. <c>refGlob</c> values are left alone: widening a deletion rule's scope would delete more.
/// </summary>
internal static class ProtectedRefDefaults
{
    /// <param name="newline">The provider's expression for a line feed (<c>char(10)</c>, <c>chr(10)</c>).</param>
    public static string UpdateSql(string newline)
    {
        // Lines are matched whole: the value is framed by line feeds, each old default replaced
        // (twice, for a default listed twice in a row), and the frame stripped again.
        var framed = $"{newline} || \"ProtectedRefs\" || {newline}";
        foreach (var kind in new[] { "heads", "tags" })
        {
            for (var pass = 0; pass < 2; pass++)
            {
                framed = $"REPLACE({framed}, {newline} || 'refs/{kind}/*' || {newline}, {newline} || 'refs/{kind}/**' || {newline})";
            }
        }
        return $"UPDATE \"retention_policies\" SET \"ProtectedRefs\" = SUBSTR({framed}, 2, LENGTH({framed}) - 2) WHERE \"ProtectedRefs\" IS NOT NULL";
    }
}
