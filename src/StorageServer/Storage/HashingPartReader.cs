using System.Security.Cryptography;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Storage;

/// <summary>
/// Reads an upload body in parts of a fixed size for a block or multipart upload, hashing every
/// byte, and stops one byte past the declared size. After each full part it reads one byte ahead,
/// so the caller learns whether that part was the last before sending it; the byte opens the next
/// part. A caller sending part k while this reads part k+1 holds two buffers whatever the size.
/// </summary>
internal sealed class HashingPartReader(Stream content, long expectedSize, int partSize) : IDisposable
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _peek = new byte[1];
    private bool _peeked;

    /// <summary>Bytes read so far (at most the declared size + 1).</summary>
    public long Received { get; private set; }

    private long Limit => expectedSize + 1;

    /// <summary>Fills <paramref name="buffer"/> with the next part; Last is true when nothing follows it.</summary>
    public async Task<(int Count, bool Last)> ReadPartAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        if (_peeked)
        {
            buffer[0] = _peek[0];
            filled = 1;
            _peeked = false;
        }
        var wanted = (int)Math.Min(partSize - filled, Limit - Received);
        var read = await StreamReading.FillAsync(content, buffer, filled, wanted, cancellationToken);
        _hash.AppendData(buffer, filled, read);
        Received += read;
        filled += read;
        if (filled == partSize && Received < Limit && await StreamReading.FillAsync(content, _peek, 0, 1, cancellationToken) == 1)
        {
            _hash.AppendData(_peek);
            Received++;
            _peeked = true;
        }
        return (filled, !_peeked);
    }

    /// <summary>The SHA-256 of everything read; call once, after the last part.</summary>
    public Oid Hash() => Oid.FromHash(_hash.GetHashAndReset());

    public void Dispose() => _hash.Dispose();
}
