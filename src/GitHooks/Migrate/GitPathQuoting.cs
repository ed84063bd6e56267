using System.Text;

namespace GitHooks.Migrate;

/// <summary>
/// Paths in fast-export/fast-import streams: C-style quoted (<c>"a\tb"</c>, <c>"caf\303\251"</c>)
/// when they hold special bytes, raw otherwise. Quoted text is handled as Latin-1 (one char per
/// byte), as <see cref="StreamLines"/> reads it.
/// </summary>
public static class GitPathQuoting
{
    public static string Unquote(string token)
    {
        if (token.Length < 2 || token[0] != '"' || token[^1] != '"')
        {
            return token;
        }
        var bytes = new List<byte>(token.Length);
        for (var i = 1; i < token.Length - 1; i++)
        {
            var c = token[i];
            if (c != '\\')
            {
                bytes.Add((byte)c); // the stream was read as Latin-1: one char per byte
                continue;
            }
            var next = token[++i];
            if (next is >= '0' and <= '7')
            {
                bytes.Add((byte)Convert.ToInt32(token.Substring(i, 3), 8));
                i += 2;
                continue;
            }
            bytes.Add(next switch
            {
                'a' => 7, 'b' => 8, 't' => 9, 'n' => 10, 'v' => 11, 'f' => 12, 'r' => 13,
                _ => (byte)next,
            });
        }
        return Encoding.UTF8.GetString([.. bytes]);
    }

    /// <summary>Quotes a path for fast-import, as pure ASCII, when it holds anything but printable ASCII.</summary>
    public static string Quote(string path)
    {
        if (!path.Any(c => c < ' ' || c > '~' || c == '"' || c == '\\'))
        {
            return path;
        }
        var quoted = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(path))
        {
            quoted.Append(b switch
            {
                (byte)'"' => "\\\"",
                (byte)'\\' => "\\\\",
                (byte)'\n' => "\\n",
                (byte)'\t' => "\\t",
                < 0x20 or >= 0x80 => "\\" + Convert.ToString(b, 8).PadLeft(3, '0'),
                _ => ((char)b).ToString(),
            });
        }
        return quoted.Append('"').ToString();
    }
}
