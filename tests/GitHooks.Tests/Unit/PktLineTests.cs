using GitHooks.Git;
using GitHooks.Tests.Support;

namespace GitHooks.Tests.Unit;

public sealed class PktLineTests
{
    [Fact]
    public async Task Writer_frames_text_with_hex_length_and_newline_and_flush_is_0000()
    {
        var stream = new MemoryStream();
        var writer = new PktLineWriter(stream);
        await writer.WriteTextAsync("version=2", CancellationToken.None);
        await writer.WriteFlushAsync(CancellationToken.None);
        Assert.Equal("000eversion=2\n0000", System.Text.Encoding.ASCII.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task Reader_returns_text_without_newline_and_null_for_flush()
    {
        var reader = new PktLineReader(new MemoryStream([.. PktLines.Text("command=clean"), .. PktLines.Flush]));
        Assert.Equal("command=clean", await reader.ReadTextAsync(CancellationToken.None));
        Assert.Null(await reader.ReadTextAsync(CancellationToken.None));
        await Assert.ThrowsAsync<EndOfStreamException>(() => reader.ReadTextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Reader_rejects_a_length_over_the_maximum()
    {
        var reader = new PktLineReader(new MemoryStream("fff1"u8.ToArray()));
        await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadTextAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Content_streams_round_trip_across_packet_boundaries()
    {
        var data = new byte[200_000];
        new Random(3).NextBytes(data);
        var framed = new MemoryStream();
        var writeStream = new PktLineContentWriteStream(new PktLineWriter(framed));
        await writeStream.WriteAsync(data.AsMemory(0, 1000));
        await writeStream.WriteAsync(data.AsMemory(1000));
        await writeStream.FlushAsync();
        await new PktLineWriter(framed).WriteFlushAsync(CancellationToken.None);

        var packets = PktLines.Split(framed.ToArray());
        Assert.All(packets.Take(packets.Count - 1), p => Assert.True(p!.Length <= PktLine.MaxPayload));
        Assert.Null(packets[^1]);

        framed.Position = 0;
        var readBack = new MemoryStream();
        await new PktLineContentReadStream(new PktLineReader(framed)).CopyToAsync(readBack);
        Assert.Equal(data, readBack.ToArray());
    }
}
