using System.Buffers;
using System.Globalization;
using System.Text;

namespace GitHooks.Git;

/// <summary>
/// Git's pkt-line framing (Documentation/technical/protocol-common.txt): a 4-hex-digit length
/// that counts itself, then the payload; <c>0000</c> is a flush packet. Payloads are at most
/// 65516 bytes.
/// </summary>
public static class PktLine
{
    public const int MaxPayload = 65516;
    public const int HeaderLength = 4;
}

/// <summary>Reads pkt-lines from a raw stream; never reads past the packet it returns.</summary>
public sealed class PktLineReader(Stream stream)
{
    private readonly byte[] _header = new byte[PktLine.HeaderLength];

    /// <summary>
    /// Reads one packet into <paramref name="buffer"/> (at least <see cref="PktLine.MaxPayload"/>
    /// bytes). Returns the payload length, or -1 for a flush packet.
    /// </summary>
    public async Task<int> ReadPacketAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        await ReadExactlyOrEndAsync(_header, cancellationToken);
        var lengthText = Encoding.ASCII.GetString(_header);
        if (!int.TryParse(lengthText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var length))
        {
            throw new InvalidDataException($"bad pkt-line length '{lengthText}'");
        }
        if (length == 0)
        {
            return -1;
        }
        if (length < PktLine.HeaderLength || length - PktLine.HeaderLength > PktLine.MaxPayload)
        {
            throw new InvalidDataException($"bad pkt-line length {length}");
        }
        var payload = length - PktLine.HeaderLength;
        await stream.ReadExactlyAsync(buffer[..payload], cancellationToken);
        return payload;
    }

    /// <summary>Reads a text packet without its trailing LF, or null for a flush.</summary>
    public async Task<string?> ReadTextAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(PktLine.MaxPayload);
        try
        {
            var length = await ReadPacketAsync(buffer, cancellationToken);
            if (length < 0)
            {
                return null;
            }
            var text = Encoding.UTF8.GetString(buffer, 0, length);
            return text.EndsWith('\n') ? text[..^1] : text;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads text packets up to the next flush.</summary>
    public async Task<List<string>> ReadTextListAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (await ReadTextAsync(cancellationToken) is { } line)
        {
            lines.Add(line);
        }
        return lines;
    }

    private async Task ReadExactlyOrEndAsync(byte[] header, CancellationToken cancellationToken)
    {
        var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == 0)
        {
            throw new EndOfStreamException();
        }
        if (read < header.Length)
        {
            throw new InvalidDataException("truncated pkt-line header");
        }
    }
}

/// <summary>Writes pkt-lines to a raw stream.</summary>
public sealed class PktLineWriter(Stream stream)
{
    private static readonly byte[] Flush = "0000"u8.ToArray();

    public async Task WritePacketAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (payload.Length is 0 or > PktLine.MaxPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), "a pkt-line payload is 1 to 65516 bytes");
        }
        var header = Encoding.ASCII.GetBytes((payload.Length + PktLine.HeaderLength).ToString("x4", CultureInfo.InvariantCulture));
        await stream.WriteAsync(header, cancellationToken);
        await stream.WriteAsync(payload, cancellationToken);
    }

    /// <summary>Writes <paramref name="text"/> followed by LF, as git's text packets are.</summary>
    public Task WriteTextAsync(string text, CancellationToken cancellationToken) =>
        WritePacketAsync(Encoding.UTF8.GetBytes(text + "\n"), cancellationToken);

    public async Task WriteFlushAsync(CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Flush, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }
}
