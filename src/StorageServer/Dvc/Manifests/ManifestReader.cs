using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace StorageServer.Dvc.Manifests;

/// <summary>
/// Reads a directory manifest, streamed, accepting only the exact bytes <see cref="ManifestWriter"/>
/// (and DVC) would write for its entries: key order, separators, escapes, lowercase MD5s, entries
/// in strictly increasing code-point order of relpath, no trailing bytes. So an accepted manifest
/// re-serialises to itself and its MD5 is the directory oid DVC computes. Relpaths must be
/// relative, <c>/</c>-separated, without empty, <c>.</c> or <c>..</c> segments.
/// </summary>
public sealed class ManifestReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private long _offset;

    public static IAsyncEnumerable<DirEntry> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        new ManifestReader(stream).EntriesAsync(cancellationToken);

    private async IAsyncEnumerable<DirEntry> EntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await ExpectAsync("[", cancellationToken);
        if (await PeekAsync(cancellationToken) == ']')
        {
            await NextAsync(cancellationToken);
            await ExpectEndAsync(cancellationToken);
            yield break;
        }
        string? previous = null;
        while (true)
        {
            await ExpectAsync("{\"md5\": \"", cancellationToken);
            var md5 = new StringBuilder(32);
            for (var i = 0; i < 32; i++)
            {
                var b = await NextAsync(cancellationToken);
                if (!(b is >= '0' and <= '9' or >= 'a' and <= 'f'))
                {
                    throw Fail("an MD5 of 32 lowercase hex digits");
                }
                md5.Append((char)b);
            }
            await ExpectAsync("\", \"relpath\": \"", cancellationToken);
            var relpath = await ReadStringAsync(cancellationToken);
            await ExpectAsync("}", cancellationToken);
            CheckRelpath(relpath);
            if (previous is not null && CodePointOrder.Instance.Compare(previous, relpath) >= 0)
            {
                throw Fail($"entries sorted by relpath without duplicates ('{relpath}' follows '{previous}')");
            }
            previous = relpath;
            yield return new DirEntry(relpath, md5.ToString());
            var separator = await NextAsync(cancellationToken);
            if (separator == ']')
            {
                await ExpectEndAsync(cancellationToken);
                yield break;
            }
            if (separator != ',' || await NextAsync(cancellationToken) != ' ')
            {
                throw Fail("\", \" or \"]\" after an entry");
            }
        }
    }

    /// <summary>The body of a JSON string after its opening quote, accepting only Python's ensure_ascii escapes.</summary>
    private async Task<string> ReadStringAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        while (true)
        {
            var b = await NextAsync(cancellationToken);
            if (b == '"')
            {
                return text.ToString();
            }
            if (b is < 0x20 or > 0x7e)
            {
                throw Fail("printable ASCII in a relpath (anything else is written \\uXXXX)");
            }
            if (b != '\\')
            {
                text.Append((char)b);
                continue;
            }
            var escape = await NextAsync(cancellationToken);
            text.Append(escape switch
            {
                '"' => '"',
                '\\' => '\\',
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                'b' => '\b',
                'f' => '\f',
                'u' => await ReadUnicodeEscapeAsync(cancellationToken),
                _ => throw Fail("one of the escapes \\\" \\\\ \\n \\r \\t \\b \\f \\uXXXX"),
            });
        }
    }

    private async Task<char> ReadUnicodeEscapeAsync(CancellationToken cancellationToken)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = await NextAsync(cancellationToken);
            var digit = b is >= '0' and <= '9' ? b - '0' : b is >= 'a' and <= 'f' ? b - 'a' + 10 : throw Fail("four lowercase hex digits after \\u");
            value = (value << 4) | digit;
        }
        var c = (char)value;
        // Python writes these literally or with a short escape, never as \uXXXX.
        if (c is >= ' ' and <= '~' or '\n' or '\r' or '\t' or '\b' or '\f')
        {
            throw Fail($"'\\u{value:x4}' written as Python does (literally or with a short escape)");
        }
        return c;
    }

    private void CheckRelpath(string relpath)
    {
        if (relpath.Length == 0 || relpath.Split('/').Any(s => s is "" or "." or ".."))
        {
            throw Fail($"a relative path without empty, '.' or '..' segments, not '{relpath}'");
        }
        if (relpath.Contains('\0', StringComparison.Ordinal) || !WellFormed(relpath))
        {
            throw Fail("a relpath without NUL or unpaired surrogates");
        }
    }

    private static bool WellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }
        return true;
    }

    private async Task ExpectAsync(string literal, CancellationToken cancellationToken)
    {
        foreach (var c in literal)
        {
            if (await NextAsync(cancellationToken) != c)
            {
                throw Fail($"'{literal}'");
            }
        }
    }

    private async Task ExpectEndAsync(CancellationToken cancellationToken)
    {
        if (await PeekAsync(cancellationToken) != -1)
        {
            throw Fail("the end of the manifest after ']' (no trailing bytes or newline)");
        }
    }

    private async ValueTask<int> NextAsync(CancellationToken cancellationToken)
    {
        var b = await PeekAsync(cancellationToken);
        if (b == -1)
        {
            throw Fail("more bytes: the manifest ends early");
        }
        _start++;
        _offset++;
        return b;
    }

    private async ValueTask<int> PeekAsync(CancellationToken cancellationToken)
    {
        if (_start == _end)
        {
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            if (_end == 0)
            {
                return -1;
            }
        }
        return _buffer[_start];
    }

    private ManifestFormatException Fail(string expected) =>
        new(string.Create(CultureInfo.InvariantCulture, $"Not a DVC directory manifest: expected {expected} at byte {_offset}."));
}
