using System.Text;
using StorageServer.Erasure.Scanning;

namespace StorageServer.Tests.Erasure;

public sealed class StreamMatcherTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(64)]
    public async Task Finds_a_match_split_across_every_possible_buffer_boundary(int bufferSize)
    {
        var matcher = new StreamMatcher([B("alice@example.com"), B("C-1042")], caseInsensitive: false, bufferSize);
        for (var offset = 0; offset < 40; offset++)
        {
            var text = new string('x', offset) + " alice@example.com;" + new string('y', 30);
            Assert.True(await matcher.ContainsAnyAsync(new TrickleStream(B(text), 3), CancellationToken.None), $"offset {offset}");
        }
        Assert.False(await matcher.ContainsAnyAsync(new MemoryStream(B(new string('x', 500) + "alice@example.co" + "C-104")), CancellationToken.None));
    }

    [Theory]
    [InlineData("id: c1042;", true)]
    [InlineData("\"c1042\"", true)]
    [InlineData("ends with c1042.", true)]
    [InlineData("c1042", true)]
    [InlineData("c10420", false)]
    [InlineData("xc1042", false)]
    [InlineData("x.c1042", false)]
    [InlineData("c1042-b", false)]
    [InlineData("c1042\u00e9", false)]
    public async Task A_pattern_matches_only_starting_and_ending_at_token_boundaries(string text, bool matches)
    {
        for (var bufferSize = 4; bufferSize <= 16; bufferSize += 3)
        {
            var matcher = new StreamMatcher([B("c1042")], caseInsensitive: false, bufferSize);
            Assert.Equal(matches, await matcher.ContainsAnyAsync(new TrickleStream(B(text), 2), CancellationToken.None));
            Assert.Equal(matches, await matcher.ContainsAnyAsync(new TrickleStream(B(new string('-', 37) + " " + text + " " + new string('-', 37)), 3), CancellationToken.None));
        }
    }

    [Fact]
    public async Task Case_insensitive_matching_folds_ascii_letters_only()
    {
        var exact = new StreamMatcher([B("Alice Example")], caseInsensitive: false, 16);
        var folded = new StreamMatcher([B("Alice Example")], caseInsensitive: true, 16);
        var content = B(new string('-', 100) + " ALICE eXAMPLE " + new string('-', 100));
        Assert.False(await exact.ContainsAnyAsync(new MemoryStream(content), CancellationToken.None));
        Assert.True(await folded.ContainsAnyAsync(new MemoryStream(content), CancellationToken.None));
        // Non-ASCII bytes are compared exactly: 'É' is not folded to 'é'.
        var accented = new StreamMatcher([B("éloïse")], caseInsensitive: true, 16);
        Assert.False(await accented.ContainsAnyAsync(new MemoryStream(B("ÉLOÏSE")), CancellationToken.None));
        Assert.True(await accented.ContainsAnyAsync(new MemoryStream(B("xx éloïse xx")), CancellationToken.None));
    }

    [Fact]
    public void Lowering_in_place_changes_only_A_to_Z()
    {
        var all = Enumerable.Range(0, 256).Select(i => (byte)i).Concat(Enumerable.Range(0, 256).Select(i => (byte)i)).ToArray();
        StreamMatcher.LowerAsciiInPlace(all);
        for (var i = 0; i < all.Length; i++)
        {
            var original = (byte)(i % 256);
            Assert.Equal(original is >= (byte)'A' and <= (byte)'Z' ? (byte)(original + 32) : original, all[i]);
        }
    }

    [Fact]
    public async Task Lines_are_read_with_their_terminators_so_dropping_none_reproduces_the_input()
    {
        var text = B("id,email\r\n1,a@x.org\n2,b@y.org\nlast-without-newline");
        var lines = new List<string>();
        await LineReader.ForEachLineAsync(new TrickleStream(text, 5), (n, line) =>
        {
            lines.Add($"{n}:{Encoding.UTF8.GetString(line.Span)}");
            return ValueTask.CompletedTask;
        }, CancellationToken.None);
        Assert.Equal(["0:id,email\r\n", "1:1,a@x.org\n", "2:2,b@y.org\n", "3:last-without-newline"], lines);
    }

    /// <summary>Returns at most a few bytes per read, as a network stream may.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
