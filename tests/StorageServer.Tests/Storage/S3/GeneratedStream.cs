using System.Buffers.Binary;
using System.Security.Cryptography;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Storage.S3;

/// <summary>
/// A read-only, non-seekable stream of <paramref name="length"/> pseudo-random bytes made on the
/// fly, so tests can upload hundreds of MiB without holding them.
/// </summary>
public sealed class GeneratedStream(long length, ulong seed) : Stream
{
    private long _position;

    public static Oid HashOf(long length, ulong seed)
    {
        using var stream = new GeneratedStream(length, seed);
        return Oid.FromHash(SHA256.HashData(stream));
    }

    /// <summary>Byte p is byte p % 8 of SplitMix64(seed + p / 8): the same bytes whatever the read sizes.</summary>
    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - _position);
        Span<byte> word = stackalloc byte[8];
        for (var i = 0; i < count;)
        {
            var p = _position + i;
            BinaryPrimitives.WriteUInt64LittleEndian(word, Mix(seed + (ulong)(p >> 3)));
            var offset = (int)(p & 7);
            var n = Math.Min(8 - offset, count - i);
            word.Slice(offset, n).CopyTo(buffer[i..]);
            i += n;
        }
        _position += count;
        return count;
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
