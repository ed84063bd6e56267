using System.Security.Cryptography;

namespace StorageServer.Dvc.Objects;

/// <summary>
/// DVC 2's <c>md5-dos2unix</c>, fed incrementally: when the first 512 bytes look like text (no NUL,
/// at most 30 % outside printable ASCII and <c>\n \r \t \f \b</c>), CRLF becomes LF before hashing.
/// As in dvc-data's <c>HashStreamFile</c>, the conversion runs per 1 MiB read of the file, so a CRLF
/// split by a read boundary stays as it is; this reproduces that boundary whatever chunks arrive.
/// </summary>
public sealed class Dos2UnixMd5 : IDisposable
{
    private const int DvcReadSize = 1024 * 1024;
    private const int TextProbeSize = 512;

    private readonly IncrementalHash _md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
    private readonly List<byte> _probe = new(TextProbeSize);
    private bool? _text;
    private long _position;
    private bool _pendingCr;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_text is null)
        {
            var take = Math.Min(TextProbeSize - _probe.Count, data.Length);
            _probe.AddRange(data[..take]);
            data = data[take..];
            if (_probe.Count < TextProbeSize)
            {
                return;
            }
            Decide();
        }
        Feed(data);
    }

    /// <summary>The hash as 32 lowercase hex digits.</summary>
    public string Finish()
    {
        if (_text is null)
        {
            Decide();
        }
        if (_pendingCr)
        {
            _md5.AppendData("\r"u8);
            _pendingCr = false;
        }
        return Convert.ToHexStringLower(_md5.GetHashAndReset());
    }

    public void Dispose() => _md5.Dispose();

    /// <summary>dvc-data's <c>istextblock</c> on the first 512 bytes; an empty file counts as text.</summary>
    internal static bool IsTextBlock(ReadOnlySpan<byte> block)
    {
        if (block.IsEmpty)
        {
            return true;
        }
        if (block.Contains((byte)0))
        {
            return false;
        }
        var nonText = 0;
        foreach (var b in block)
        {
            if (!(b is >= 32 and < 127 or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or (byte)'\b'))
            {
                nonText++;
            }
        }
        return (double)nonText / block.Length <= 0.30;
    }

    private void Decide()
    {
        var probe = _probe.ToArray();
        _text = IsTextBlock(probe);
        _probe.Clear();
        Feed(probe);
    }

    private void Feed(ReadOnlySpan<byte> data)
    {
        if (_text != true)
        {
            _md5.AppendData(data);
            _position += data.Length;
            return;
        }
        while (!data.IsEmpty)
        {
            // Never across one of DVC's read boundaries: the conversion restarts at each.
            var room = (int)Math.Min(DvcReadSize - (_position % DvcReadSize), data.Length);
            ConvertWithinRead(data[..room]);
            _position += room;
            data = data[room..];
            if (_position % DvcReadSize == 0 && _pendingCr)
            {
                _md5.AppendData("\r"u8);
                _pendingCr = false;
            }
        }
    }

    private void ConvertWithinRead(ReadOnlySpan<byte> piece)
    {
        if (_pendingCr)
        {
            _pendingCr = false;
            if (piece.IsEmpty || piece[0] != '\n')
            {
                _md5.AppendData("\r"u8);
            }
        }
        while (!piece.IsEmpty)
        {
            var cr = piece.IndexOf((byte)'\r');
            if (cr < 0)
            {
                _md5.AppendData(piece);
                return;
            }
            _md5.AppendData(piece[..cr]);
            if (cr == piece.Length - 1)
            {
                _pendingCr = true; // The LF may come with the next chunk of the same read.
                return;
            }
            if (piece[cr + 1] != '\n')
            {
                _md5.AppendData("\r"u8);
            }
            piece = piece[(cr + 1)..];
        }
    }
}
