using System.Globalization;
using System.Text;

namespace GitHooks.Tests.Support;

/// <summary>Builds and splits pkt-line byte streams by hand, independently of the code under test.</summary>
public static class PktLines
{
    public static byte[] Text(string line) => Packet(Encoding.UTF8.GetBytes(line + "\n"));

    public static byte[] Packet(byte[] payload) =>
        [.. Encoding.ASCII.GetBytes((payload.Length + 4).ToString("x4", CultureInfo.InvariantCulture)), .. payload];

    public static byte[] Flush => "0000"u8.ToArray();

    /// <summary>Content split into packets of at most 65516 bytes, then a flush.</summary>
    public static byte[] Content(byte[] data)
    {
        var output = new List<byte>();
        for (var offset = 0; offset < data.Length; offset += 65516)
        {
            output.AddRange(Packet(data[offset..Math.Min(data.Length, offset + 65516)]));
        }
        output.AddRange(Flush);
        return [.. output];
    }

    /// <summary>Splits a stream into packets; a flush is returned as null.</summary>
    public static List<byte[]?> Split(byte[] stream)
    {
        var packets = new List<byte[]?>();
        var offset = 0;
        while (offset < stream.Length)
        {
            var length = int.Parse(Encoding.ASCII.GetString(stream, offset, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            packets.Add(length == 0 ? null : stream[(offset + 4)..(offset + length)]);
            offset += length == 0 ? 4 : length;
        }
        return packets;
    }

    public static string? AsText(byte[]? packet) => packet is null ? null : Encoding.UTF8.GetString(packet).TrimEnd('\n');
}
