using System.Text;

namespace StorageServer.Dvc.Manifests;

/// <summary>
/// Writes a directory manifest exactly as DVC does: <c>json.dumps(entries, sort_keys=True)</c>
/// of the entries sorted by relpath, Python's default separators (<c>", "</c>, <c>": "</c>),
/// non-ASCII as <c>\uXXXX</c>, no trailing newline. The directory's oid is the MD5 of these bytes.
/// </summary>
public static class ManifestWriter
{
    public static byte[] Write(IEnumerable<DirEntry> entries)
    {
        var text = new StringBuilder("[");
        var first = true;
        foreach (var entry in entries.OrderBy(e => e.Relpath, CodePointOrder.Instance))
        {
            text.Append(first ? "" : ", ").Append("{\"md5\": \"").Append(entry.Md5).Append("\", \"relpath\": \"");
            AppendEscaped(text, entry.Relpath);
            text.Append("\"}");
            first = false;
        }
        return Encoding.ASCII.GetBytes(text.Append(']').ToString());
    }

    /// <summary>Python's <c>ensure_ascii</c> escaping: the short escapes, then <c>\u00XX</c> for anything outside space..tilde, in lowercase hex.</summary>
    internal static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\r' => text.Append("\\r"),
                '\t' => text.Append("\\t"),
                '\b' => text.Append("\\b"),
                '\f' => text.Append("\\f"),
                >= ' ' and <= '~' => text.Append(c),
                _ => text.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture)),
            };
        }
    }
}
