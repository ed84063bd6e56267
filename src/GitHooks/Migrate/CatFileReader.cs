using System.Diagnostics;
using System.Globalization;
using System.Text;
using GitHooks.Git;

namespace GitHooks.Migrate;

/// <summary>
/// One long-running <c>git cat-file --batch</c> whose blobs are read as streams, one at a time,
/// so a large file is never held in memory. Each stream must be read (or disposed) before the
/// next blob is asked for.
/// </summary>
public sealed class CatFileReader : IAsyncDisposable
{
    private readonly Process _process;
    private readonly BufferedStream _output;
    private readonly Stream _input;
    private BlobStream? _open;

    public CatFileReader(GitRunner git)
    {
        _process = git.Start(["cat-file", "--batch"]);
        _ = _process.StandardError.ReadToEndAsync();
        _output = new BufferedStream(_process.StandardOutput.BaseStream, 1 << 16);
        _input = _process.StandardInput.BaseStream;
    }

    /// <summary>The blob's content as a stream of exactly its size; throws when <paramref name="id"/> is not a blob.</summary>
    public async Task<Stream> OpenBlobAsync(string id, CancellationToken cancellationToken)
    {
        if (_open is not null)
        {
            await _open.DrainAsync(cancellationToken);
        }
        await _input.WriteAsync(Encoding.ASCII.GetBytes(id + "\n"), cancellationToken);
        await _input.FlushAsync(cancellationToken);
        var header = await CatFileBatch.ReadLineAsync(_output, cancellationToken) ?? throw new GitException("git cat-file --batch ended early");
        var parts = header.Split(' ');
        if (parts.Length < 3 || parts[1] != "blob")
        {
            throw new GitException($"{id} is not a blob ({header})");
        }
        _open = new BlobStream(_output, long.Parse(parts[2], CultureInfo.InvariantCulture));
        return _open;
    }

    public async Task<byte[]> ReadBlobAsync(string id, CancellationToken cancellationToken)
    {
        await using var stream = await OpenBlobAsync(id, cancellationToken);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_open is not null)
        {
            await _open.DrainAsync(CancellationToken.None);
        }
        _input.Close();
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>Exactly <c>size</c> bytes of the batch output, then the LF that follows them.</summary>
    private sealed class BlobStream(Stream source, long size) : Stream
    {
        private readonly long _size = size;
        private long _left = size;
        private bool _done;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _size;
        public override long Position { get => _size - _left; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_left == 0)
            {
                await FinishAsync(cancellationToken);
                return 0;
            }
            var read = await source.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _left)], cancellationToken);
            if (read == 0)
            {
                throw new EndOfStreamException("git cat-file ended in the middle of a blob");
            }
            _left -= read;
            return read;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var scratch = new byte[1 << 16];
            while (await ReadAsync(scratch, cancellationToken) > 0)
            {
            }
        }

        private async Task FinishAsync(CancellationToken cancellationToken)
        {
            if (!_done)
            {
                _done = true;
                await source.ReadExactlyAsync(new byte[1], cancellationToken); // the LF after the content
            }
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
