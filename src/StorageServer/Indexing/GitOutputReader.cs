namespace StorageServer.Indexing;

/// <summary>
/// Buffered reads of git's binary output: NUL- or LF-terminated records and exact byte counts
/// (as <c>cat-file --batch</c> needs), without ever holding more than one record.
/// </summary>
public sealed class GitOutputReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The bytes up to (not including) <paramref name="terminator"/>, or null at end of stream.</summary>
    public async ValueTask<byte[]?> ReadRecordAsync(byte terminator, CancellationToken cancellationToken)
    {
        List<byte>? spill = null;
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var index = available.IndexOf(terminator);
            if (index >= 0)
            {
                var record = available[..index].ToArray();
                _start += index + 1;
                if (spill is null)
                {
                    return record;
                }
                spill.AddRange(record);
                return [.. spill];
            }
            if (available.Length > 0)
            {
                spill ??= [];
                spill.AddRange(available.ToArray());
            }
            if (!await FillAsync(cancellationToken))
            {
                return spill is { Count: > 0 } ? [.. spill] : null;
            }
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes; throws at a premature end.</summary>
    public async ValueTask<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end && !await FillAsync(cancellationToken))
            {
                throw new EndOfStreamException($"git output ended after {copied} of {count} bytes");
            }
            var take = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, take).CopyTo(result.AsSpan(copied));
            _start += take;
            copied += take;
        }
        return result;
    }

    private async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, cancellationToken);
        return _end > 0;
    }
}
