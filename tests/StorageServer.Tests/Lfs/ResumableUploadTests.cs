using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Lfs.Resumable;
using StorageServer.Tests.Support;
using static StorageServer.Tests.Lfs.LfsTestContext;

namespace StorageServer.Tests.Lfs;

/// <summary>
/// The tus transfer adapter against the in-process server: negotiated only when offered, offsets
/// kept across requests, the object visible only once whole and verified, and partial uploads
/// bounded per user and by age.
/// </summary>
public sealed class ResumableUploadTests : IAsyncLifetime
{
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await CreateAsync(new Dictionary<string, string?>
    {
        ["Lfs:ResumableUploads:MaxSessionsPerUser"] = "2",
        ["Lfs:ResumableUploads:MaxBytesPerUser"] = "1000000",
    });

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    private static string TusBatch(params (string Oid, long Size)[] objects) => JsonSerializer.Serialize(new
    {
        operation = "upload",
        transfers = new[] { "tus", "basic" },
        @ref = new { name = "refs/heads/main" },
        objects = objects.Select(o => new { oid = o.Oid, size = o.Size }),
    });

    private async Task<JsonElement> UploadActionAsync(string oid, long size)
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var reply = await PostBatchAsync(client, TusBatch((oid, size)));
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        LfsSchema.BatchResponse.AssertValid(reply.Body);
        Assert.Equal("tus", reply.Json.GetProperty("transfer").GetString());
        return reply.Json.GetProperty("objects")[0].GetProperty("actions");
    }

    private async Task<long> HeadAsync(JsonElement upload)
    {
        using var client = _lfs.Client();
        using var head = await SendActionAsync(client, HttpMethod.Head, upload);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("1.0.0", head.Headers.GetValues("Tus-Resumable").Single());
        return long.Parse(head.Headers.GetValues("Upload-Offset").Single(), CultureInfo.InvariantCulture);
    }

    private async Task<HttpResponseMessage> PatchAsync(JsonElement upload, long offset, byte[] bytes)
    {
        using var client = _lfs.Client();
        var content = Bytes(bytes, "application/offset+octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(upload.GetProperty("href").GetString()!).PathAndQuery) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", upload.GetProperty("header").GetProperty("Authorization").GetString());
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        return await client.SendAsync(request);
    }

    private PartialUploadStore Partials => _lfs.Factory.Services.GetRequiredService<PartialUploadStore>();

    [Fact]
    public async Task Tus_is_answered_only_when_offered_and_only_for_objects_a_user_may_keep_partially()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var (_, oid) = Content(10);
        var basic = await PostBatchAsync(client, BatchJson("upload", (oid, 10)));
        Assert.Equal("basic", basic.Json.GetProperty("transfer").GetString());
        Assert.EndsWith("/objects/" + oid, basic.Json.GetProperty("objects")[0].GetProperty("actions").GetProperty("upload").GetProperty("href").GetString(), StringComparison.Ordinal);

        var tus = await PostBatchAsync(client, TusBatch((oid, 10)));
        Assert.Equal("tus", tus.Json.GetProperty("transfer").GetString());
        Assert.EndsWith($"/objects/{oid}/resumable", tus.Json.GetProperty("objects")[0].GetProperty("actions").GetProperty("upload").GetProperty("href").GetString(), StringComparison.Ordinal);

        var tooBig = await PostBatchAsync(client, TusBatch((oid, 10), (Content(1, 2).Oid, 2_000_000)));
        Assert.Equal("basic", tooBig.Json.GetProperty("transfer").GetString());
    }

    [Fact]
    public async Task An_upload_resumes_at_the_server_offset_and_appears_only_whole_and_verified()
    {
        var (bytes, oid) = Content(300_000);
        var actions = await UploadActionAsync(oid, bytes.Length);
        var upload = actions.GetProperty("upload");
        Assert.Equal(0, await HeadAsync(upload));

        using (var first = await PatchAsync(upload, 0, bytes[..120_000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Equal("120000", first.Headers.GetValues("Upload-Offset").Single());
        }
        Assert.Equal(120_000, await HeadAsync(upload));
        Assert.Equal((0, 0), await _lfs.CountRowsAsync()); // nothing visible yet
        Assert.DoesNotContain(_lfs.StoreFiles(), f => f.EndsWith(oid, StringComparison.Ordinal));

        using (var stale = await PatchAsync(upload, 0, bytes))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal("120000", stale.Headers.GetValues("Upload-Offset").Single());
        }
        using (var rest = await PatchAsync(upload, 120_000, bytes[120_000..]))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
            Assert.Equal("300000", rest.Headers.GetValues("Upload-Offset").Single());
        }
        Assert.Equal((1, 1), await _lfs.CountRowsAsync());
        Assert.Empty(Partials.All());
        Assert.Empty(Directory.GetFiles(Partials.Root));

        using var client = _lfs.Client();
        using var verify = await SendActionAsync(client, HttpMethod.Post, actions.GetProperty("verify"),
            new StringContent($$"""{"oid":"{{oid}}","size":{{bytes.Length}}}""", Encoding.UTF8, LfsJson));
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        var download = await BatchAsync(_lfs.Client(_lfs.ReadToken), "download", (oid, bytes.Length));
        using var get = await SendActionAsync(client, HttpMethod.Get, Action(download, 0, "download"));
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        Assert.Equal(bytes.Length, await HeadAsync(upload)); // stored: git-lfs's tus client skips it
    }

    [Fact]
    public async Task Bytes_that_are_not_the_object_are_discarded_with_the_partial_upload()
    {
        var (bytes, oid) = Content(50_000);
        var upload = (await UploadActionAsync(oid, bytes.Length)).GetProperty("upload");
        var wrong = (byte[])bytes.Clone();
        wrong[40_000] ^= 0xFF;
        using (var first = await PatchAsync(upload, 0, wrong[..30_000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }
        using (var last = await PatchAsync(upload, 30_000, wrong[30_000..]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, last.StatusCode);
        }
        Assert.Equal((0, 0), await _lfs.CountRowsAsync());
        Assert.DoesNotContain(_lfs.StoreFiles(), f => f.EndsWith(oid, StringComparison.Ordinal));
        Assert.Equal(0, await HeadAsync(upload));

        using var oversize = await PatchAsync(upload, 0, [.. bytes, 1]);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, oversize.StatusCode);
        Assert.Equal(0, await HeadAsync(upload));
    }

    [Fact]
    public async Task Partial_uploads_are_bounded_per_user_and_expire()
    {
        var uploads = new List<(JsonElement Upload, byte[] Bytes)>();
        for (var i = 0; i < 3; i++)
        {
            var (bytes, oid) = Content(20_000, seed: 10 + i);
            var upload = (await UploadActionAsync(oid, bytes.Length)).GetProperty("upload");
            using var patch = await PatchAsync(upload, 0, bytes[..5_000]);
            Assert.Equal(HttpStatusCode.NoContent, patch.StatusCode);
            uploads.Add((upload, bytes));
            _lfs.Factory.Clock.Advance(TimeSpan.FromMinutes(1));
        }
        // At most two per user: the third evicted the least recently touched.
        Assert.Equal(2, Partials.All().Count());
        Assert.Equal(0, await HeadAsync(uploads[0].Upload));
        Assert.Equal(5_000, await HeadAsync(uploads[2].Upload));

        // Announced bytes are bounded too (1,000,000 here): a 990,000-byte upload evicts both.
        var (_, bigOid) = Content(1, seed: 99);
        var big = (await UploadActionAsync(bigOid, 990_000)).GetProperty("upload");
        using (var start = await PatchAsync(big, 0, new byte[1000]))
        {
            Assert.Equal(HttpStatusCode.NoContent, start.StatusCode);
        }
        Assert.Single(Partials.All());

        // FakeTimeProvider fires the cleanup job's timer as the clock moves, so the job may have
        // deleted it already; either way, after one more pass nothing expired is left.
        _lfs.Factory.Clock.Advance(TimeSpan.FromHours(25));
        Partials.DeleteExpired();
        Assert.Empty(Partials.All());
        Assert.Empty(Directory.GetFiles(Partials.Root));
    }

    [Fact]
    public async Task Resumable_requests_are_authorised_like_a_put()
    {
        var (bytes, oid) = Content(1000);
        var upload = (await UploadActionAsync(oid, bytes.Length)).GetProperty("upload");
        var path = new Uri(upload.GetProperty("href").GetString()!).PathAndQuery;
        using (var anonymous = _lfs.Client())
        {
            using var head = await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
            Assert.Equal(HttpStatusCode.Unauthorized, head.StatusCode);
        }
        using (var reader = _lfs.Client(_lfs.ReadToken))
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Bytes(bytes, "application/offset+octet-stream") };
            request.Headers.Add("Upload-Offset", "0");
            request.Headers.Add("Upload-Length", "1000");
            using var patch = await reader.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, patch.StatusCode);
        }
        var (_, other) = Content(5, seed: 5);
        var otherPath = path.Replace(oid, other, StringComparison.Ordinal);
        using (var client = _lfs.Client())
        {
            var request = new HttpRequestMessage(HttpMethod.Head, otherPath);
            request.Headers.TryAddWithoutValidation("Authorization", upload.GetProperty("header").GetProperty("Authorization").GetString());
            using var head = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, head.StatusCode); // the token names another object
        }
        using (var client = _lfs.Client())
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Bytes(bytes) };
            request.Headers.TryAddWithoutValidation("Authorization", upload.GetProperty("header").GetProperty("Authorization").GetString());
            request.Headers.Add("Upload-Offset", "0");
            using var patch = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, patch.StatusCode);
        }
        Assert.Empty(Partials.All());
        Assert.Equal((0, 0), await _lfs.CountRowsAsync());
    }
}
