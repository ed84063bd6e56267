namespace StorageServer.RequestLimits;

/// <summary>
/// A request body that refuses to give more than its limit: the read that would cross it throws
/// Kestrel's own 413 <see cref="BadHttpRequestException"/>, which the API and LFS error handlers
/// turn into their formats. Kestrel enforces the same limit itself; this keeps it whatever server
/// hosts the app (the in-process test server has no such limit).
/// </summary>
internal sealed class LimitedBodyStream(Stream inner, long limit) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Counted(await inner.ReadAsync(buffer, cancellationToken));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Counted(int read)
    {
        _read += read;
        if (_read > limit)
        {
            throw new BadHttpRequestException($"Request body is larger than this route's limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }
        return read;
    }
}
