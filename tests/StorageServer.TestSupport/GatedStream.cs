namespace StorageServer.TestSupport;

/// <summary>
/// A request body that gives the first <paramref name="half"/> bytes, signals <see cref="HalfRead"/>,
/// and waits for the test to complete <see cref="Release"/> before giving the rest: an upload caught
/// halfway, to race something against it.
/// </summary>
public sealed class GatedStream(byte[] bytes, int half) : Stream
{
    private int _position;

    public TaskCompletionSource HalfRead { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => bytes.Length;

    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= half)
        {
            HalfRead.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }
        var limit = _position < half ? half : bytes.Length;
        var count = Math.Min(buffer.Length, limit - _position);
        bytes.AsMemory(_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
