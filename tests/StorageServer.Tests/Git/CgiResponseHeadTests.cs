using System.Text;
using StorageServer.Git;

namespace StorageServer.Tests.Git;

public sealed class CgiResponseHeadTests
{
    public sealed class ReadAsync
    {
        [Fact]
        public async Task Splits_status_headers_and_the_start_of_the_body()
        {
            var (head, body) = await CgiResponseHead.ReadAsync(Stream("Status: 404 Not Found\r\nContent-Type: text/plain\r\nExpires: Fri, 01 Jan 1980 00:00:00 GMT\r\n\r\nRepository not found"), default);
            Assert.NotNull(head);
            Assert.Equal(404, head.StatusCode);
            Assert.Equal([new("Content-Type", "text/plain"), new("Expires", "Fri, 01 Jan 1980 00:00:00 GMT")], head.Headers);
            Assert.Equal("Repository not found", Encoding.ASCII.GetString(body.Span));
        }

        [Fact]
        public async Task Without_a_status_line_means_200_and_accepts_bare_line_feeds()
        {
            var (head, body) = await CgiResponseHead.ReadAsync(Stream("Content-Type: application/x-git-upload-pack-result\n\n\u0001\u0002\r\n\r\n"), default);
            Assert.Equal(200, head!.StatusCode);
            Assert.Equal("application/x-git-upload-pack-result", Assert.Single(head.Headers).Value);
            Assert.Equal("\u0001\u0002\r\n\r\n", Encoding.ASCII.GetString(body.Span));
        }

        [Fact]
        public async Task Finds_the_blank_line_when_output_arrives_one_byte_at_a_time()
        {
            var text = "Status: 200 OK\r\nCache-Control: no-cache\r\n\r\n001e# service=git-upload-pack\n";
            var (head, body) = await CgiResponseHead.ReadAsync(new TrickleStream(Encoding.ASCII.GetBytes(text)), default);
            Assert.Equal(200, head!.StatusCode);
            Assert.Equal("no-cache", Assert.Single(head.Headers).Value);
            Assert.True(body.Length <= 1, "reads past the head are only what one read returned");
        }

        [Fact]
        public async Task Returns_null_when_the_program_ends_before_the_blank_line()
        {
            var (head, _) = await CgiResponseHead.ReadAsync(Stream("Status: 500\r\nContent-Type: text/plain\r\n"), default);
            Assert.Null(head);
            (head, _) = await CgiResponseHead.ReadAsync(Stream(""), default);
            Assert.Null(head);
        }

        [Fact]
        public async Task Gives_up_on_an_endless_head()
        {
            var (head, _) = await CgiResponseHead.ReadAsync(Stream("X-Junk: " + new string('a', CgiResponseHead.MaxHeadSize * 2)), default);
            Assert.Null(head);
        }

        private static MemoryStream Stream(string text) => new(Encoding.ASCII.GetBytes(text));
    }

    public sealed class Parse
    {
        [Theory]
        [InlineData("Status: 403 Forbidden", 403)]
        [InlineData("status: 201", 201)]
        [InlineData("Status: nonsense", 200)]
        [InlineData("Location: /elsewhere", 302)]
        public void Reads_the_status_code(string head, int expected) => Assert.Equal(expected, CgiResponseHead.Parse(head).StatusCode);
    }

    /// <summary>Returns one byte per read, as a slow pipe might.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);
    }
}
