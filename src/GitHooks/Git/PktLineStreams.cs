namespace GitHooks.Git;

/// <summary>
/// The content part of a filter request as a read-only stream: packets up to the next flush.
/// Lets clean and smudge stream file content without knowing about framing or buffering it whole.
/// </summary>
public sealed class PktLineContentReadStream(PktLineReader reader) : Stream
{
    private readonly byte[] _packet = new byte[PktLine.MaxPayload];
    private int _offset;
    private int _length;
    private bool _done;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!_done && _offset == _length)
        {
            var length = await reader.ReadPacketAsync(_packet, cancellationToken);
            if (length < 0)
            {
                _done = true;
            }
            else
            {
                _offset = 0;
                _length = length;
            }
        }
        if (_done && _offset == _length)
        {
            return 0;
        }
        var count = Math.Min(buffer.Length, _length - _offset);
        _packet.AsMemory(_offset, count).CopyTo(buffer);
        _offset += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads and discards whatever the caller did not consume, up to the flush.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        var scratch = new byte[8192];
        while (await ReadAsync(scratch, cancellationToken) > 0)
        {
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("use ReadAsync");
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>A write-only stream that frames what is written into full-size pkt-lines.</summary>
public sealed class PktLineContentWriteStream(PktLineWriter writer) : Stream
{
    private readonly byte[] _packet = new byte[PktLine.MaxPayload];
    private int _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (!buffer.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _packet.Length - _length);
            buffer[..count].CopyTo(_packet.AsMemory(_length));
            _length += count;
            buffer = buffer[count..];
            if (_length == _packet.Length)
            {
                await FlushPacketAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends the partial packet, if any. Does not write a flush packet.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => FlushPacketAsync(cancellationToken);

    private async Task FlushPacketAsync(CancellationToken cancellationToken)
    {
        if (_length > 0)
        {
            await writer.WritePacketAsync(_packet.AsMemory(0, _length), cancellationToken);
            _length = 0;
        }
    }

    public override void Flush() => throw new NotSupportedException("use FlushAsync");
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("use WriteAsync");
}
