using System.Text;

namespace StorageServer.Tests.Protocol;

/// <summary>
/// Blobs that are, almost are, or look like Git LFS pointers: canonical ones, the forms git-lfs
/// 3.3 forgives (CRLF, <c>size +N</c>, blank lines, Unicode white space, extensions anywhere before
/// <c>size</c>), and near misses. <see cref="PointerRulesTests"/> asks the real client about each.
/// </summary>
internal static class PointerCases
{
    public const string Oid = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    private const string V = "version https://git-lfs.github.com/spec/v1";
    private const string O = "oid sha256:" + Oid;
    private const string E = "ext-0-foo sha256:" + Oid;

    public static IReadOnlyList<(string Name, byte[] Bytes)> All { get; } = Build();

    private static List<(string, byte[])> Build()
    {
        var cases = new List<(string, byte[])>();
        void Text(string name, string text) => cases.Add((name, Encoding.UTF8.GetBytes(text)));
        void Raw(string name, params byte[][] parts) => cases.Add((name, parts.SelectMany(p => p).ToArray()));

        Text("canonical", $"{V}\n{O}\nsize 12345\n");
        Text("no final newline", $"{V}\n{O}\nsize 12");
        Text("crlf", $"{V}\r\n{O}\r\nsize 12\r\n");
        Text("crlf and plus size", $"{V}\r\n{O}\r\nsize +12\r\n");
        Text("lone cr separators", $"{V}\r{O}\rsize 12\r");
        Text("two cr before lf", $"{V}\r\r\n{O}\nsize 12\n");
        Text("blank lines everywhere", $"\n\n{V}\n\n\n{O}\n\r\n\nsize 12\n\n\n");
        Text("leading and trailing spaces", $"   \t{V}\n{O}\nsize 12 \t \n");
        Text("vertical tab and form feed", $"\v{V}\n{O}\nsize 12\n\f");
        Text("indented line", $"{V}\n {O}\nsize 12\n");
        Text("space after version", $"{V} \n{O}\nsize 12\n");
        Text("space after oid", $"{V}\n{O} \nsize 12\n");
        Text("two spaces before size", $"{V}\n{O}\nsize  12\n");
        Text("tab separator", $"{V}\noid\tsha256:{Oid}\nsize 12\n");
        Text("hawser version", $"version https://hawser.github.com/spec/v1\n{O}\nsize 12\n");
        Text("git-media version", $"version http://git-media.io/v/2\n{O}\nsize 12\n");
        Text("unknown version", $"version https://git-lfs.github.com/spec/v2\n{O}\nsize 12\n");
        Text("capital key", $"Version https://git-lfs.github.com/spec/v1\n{O}\nsize 12\n");
        Text("no version", $"{O}\nsize 12\n");
        Text("no oid", $"{V}\nsize 12\n");
        Text("no size", $"{V}\n{O}\n");
        Text("empty size value", $"{V}\n{O}\nsize \n\n");
        Text("keys out of order", $"{V}\nsize 12\n{O}\n");
        Text("version twice", $"{V}\n{V}\n{O}\nsize 12\n");
        Text("extra line", $"{V}\n{O}\nsize 12\nfoo bar\n");
        Text("unknown key", $"{V}\nfoo bar\n{O}\nsize 12\n");
        Text("uppercase oid", $"{V}\noid sha256:{Oid.ToUpperInvariant()}\nsize 12\n");
        Text("short oid", $"{V}\noid sha256:{Oid[..63]}\nsize 12\n");
        Text("long oid", $"{V}\noid sha256:{Oid}0\nsize 12\n");
        Text("md5 oid", $"{V}\noid md5:{Oid}\nsize 12\n");
        Text("oid without type", $"{V}\noid {Oid}\nsize 12\n");
        Text("size zero", $"{V}\n{O}\nsize 0\n");
        Text("size minus zero", $"{V}\n{O}\nsize -0\n");
        Text("size plus zero", $"{V}\n{O}\nsize +0\n");
        Text("size negative", $"{V}\n{O}\nsize -1\n");
        Text("size leading zeros", $"{V}\n{O}\nsize 0012\n");
        Text("size max", $"{V}\n{O}\nsize 9223372036854775807\n");
        Text("size overflow", $"{V}\n{O}\nsize 9223372036854775808\n");
        Text("size min", $"{V}\n{O}\nsize -9223372036854775808\n");
        Text("size with underscore", $"{V}\n{O}\nsize 1_2\n");
        Text("size hex", $"{V}\n{O}\nsize 0x12\n");
        Text("size two signs", $"{V}\n{O}\nsize +-12\n");
        Text("size sign only", $"{V}\n{O}\nsize +\n");
        Text("size with space inside", $"{V}\n{O}\nsize 1 2\n");
        Text("extension", $"{V}\n{E}\n{O}\nsize 12\n");
        Text("extensions out of order", $"{V}\next-1-bar sha256:{Oid}\n{E}\n{O}\nsize 12\n");
        Text("extension before version", $"{E}\n{V}\n{O}\nsize 12\n");
        Text("extension between oid and size", $"{V}\n{O}\n{E}\nsize 12\n");
        Text("extension after size", $"{V}\n{O}\nsize 12\n{E}\n");
        Text("extension key twice", $"{V}\n{E}\n{E}\n{O}\nsize 12\n");
        Text("extension key twice, first value bad", $"{V}\next-0-foo sha256:nope\n{E}\n{O}\nsize 12\n");
        Text("extension priority twice", $"{V}\n{E}\next-0-bar sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension two-digit priority", $"{V}\next-10-foo sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension non-ascii digit", $"{V}\next-٣-foo sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension empty name", $"{V}\next-1- sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension underscore name", $"{V}\next-1-_ sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension name with punctuation", $"{V}\next-1-a!b-c sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension name non-ascii", $"{V}\next-1-fé sha256:{Oid}\n{O}\nsize 12\n");
        Text("extension bad oid", $"{V}\next-1-foo sha256:xyz\n{O}\nsize 12\n");
        Text("extension value with space", $"{V}\next-1-foo sha256:{Oid} x\n{O}\nsize 12\n");
        Text("no-break space at the end", $"{V}\n{O}\nsize 12\n\u00a0");
        Text("next line at the end", $"{V}\n{O}\nsize 12\u0085");
        Text("line separator at the end", $"{V}\n{O}\nsize 12\u2028");
        Text("ideographic space at the start", $"\u3000{V}\n{O}\nsize 12\n");
        Text("mongolian vowel separator at the end", $"{V}\n{O}\nsize 12\u180e");
        Text("no-break space inside a line", $"{V}\n{O}\u00a0\nsize 12\n");
        Text("byte order mark", $"\ufeff{V}\n{O}\nsize 12\n");
        Text("just text", "just some text that mentions oid sha256 and size 12");
        Text("only spaces", "   \n");
        Raw("nul at the end", Encoding.UTF8.GetBytes($"{V}\n{O}\nsize 12\n"), [0]);
        Raw("invalid utf-8 extension name", Encoding.UTF8.GetBytes($"{V}\next-0-f"), [0xff], Encoding.UTF8.GetBytes($" sha256:{Oid}\n{O}\nsize 12\n"));
        Raw("invalid utf-8 byte 0x85 at the end", Encoding.UTF8.GetBytes($"{V}\n{O}\nsize 12"), [0x85]);
        Raw("empty");
        Text("padded to 1023 bytes", Pad($"{V}\n{O}\nsize 12\n", 1023));
        Text("padded to 1024 bytes", Pad($"{V}\n{O}\nsize 12\n", 1024));
        Text("pointer then 1100 bytes of text", $"{V}\n{O}\nsize 12\n" + new string('x', 1100));
        return cases;
    }

    private static string Pad(string pointer, int length) => pointer + new string(' ', length - pointer.Length);
}
