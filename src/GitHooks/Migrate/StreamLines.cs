using System.Text;

namespace GitHooks.Migrate;

/// <summary>
/// A fast-export stream read as lines and raw data blocks. Lines are decoded as Latin-1, which
/// maps every byte to one char and back, so paths and names pass through byte for byte.
/// </summary>
public sealed class StreamLines(Stream source) : IDisposable
{
    private readonly BufferedStream _source = new(source, 1 << 16);

    public void Dispose() => _source.Dispose();

    public static readonly Encoding Bytes = Encoding.Latin1;

    /// <summary>The next line without its LF; null at the end.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (await _source.ReadAsync(one, cancellationToken) == 0)
            {
                return line.Length == 0 ? null : line.ToString();
            }
            if (one[0] == (byte)'\n')
            {
                return line.ToString();
            }
            line.Append((char)one[0]);
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes (a <c>data</c> block).</summary>
    public async Task<byte[]> ReadDataAsync(long count, CancellationToken cancellationToken)
    {
        var data = new byte[count];
        await _source.ReadExactlyAsync(data, cancellationToken);
        return data;
    }

    /// <summary>A path token of an M or D line as the UTF-8 string it stands for.</summary>
    public static string PathOf(string token) =>
        token.StartsWith('"') ? GitPathQuoting.Unquote(token) : Encoding.UTF8.GetString(Bytes.GetBytes(token));
}
