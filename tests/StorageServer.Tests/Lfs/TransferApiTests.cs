using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using StorageServer.Data;
using StorageServer.Data.Entities;
using static StorageServer.Tests.Lfs.LfsTestContext;

namespace StorageServer.Tests.Lfs;

public sealed class TransferApiTests : IAsyncLifetime
{
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await CreateAsync();

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    private async Task<JsonElement> UploadBatchAsync(string oid, long size, string? token = null)
    {
        using var client = _lfs.Client(token ?? _lfs.WriteToken);
        var batch = await BatchAsync(client, "upload", (oid, size));
        return batch.GetProperty("objects")[0].GetProperty("actions");
    }

    private async Task AssertNothingStoredAsync()
    {
        Assert.Empty(_lfs.StoreFiles());
        Assert.Equal((0, 0), await _lfs.CountRowsAsync());
    }

    [Fact]
    public async Task Put_with_any_content_type_then_get_returns_the_same_bytes()
    {
        var (bytes, oid) = Content(300_000);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        using var client = _lfs.Client();
        using (var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), Bytes(bytes, "text/plain; charset=utf-8")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal(LfsJson, put.Content.Headers.ContentType?.MediaType);
        }
        using (var verifier = _lfs.Client(_lfs.ReadToken))
        using (var verify = await verifier.PostAsync($"{LfsBase}/objects/{oid}/verify",
            new StringContent($$"""{"oid":"{{oid}}","size":{{bytes.Length}}}""", Encoding.UTF8, LfsJson)))
        {
            Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
            Assert.Equal(LfsJson, verify.Content.Headers.ContentType?.MediaType);
        }
        using var reader = _lfs.Client(_lfs.ReadToken);
        var download = await BatchAsync(reader, "download", (oid, bytes.Length));
        using var get = await SendActionAsync(client, HttpMethod.Get, Action(download, 0, "download"));
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal("application/octet-stream", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(bytes.Length, get.Content.Headers.ContentLength);
        Assert.Null(get.Content.Headers.ContentEncoding.FirstOrDefault());
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());

        using var scope = _lfs.Factory.Services.CreateScope();
        var claim = await scope.ServiceProvider.GetRequiredService<StorageDbContext>().RepoObjects.SingleAsync();
        Assert.Equal("alice", claim.UploadedBy);
        Assert.Equal("refs/heads/main", claim.FirstRef);
    }

    [Fact]
    public async Task A_chunked_put_with_a_transfer_token_needs_no_content_length()
    {
        var (bytes, oid) = Content(70_000);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        using var client = _lfs.Client();
        var content = new StreamContent(new NonSeekableStream(bytes));
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), content);
        Assert.Null(content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((1, 1), await _lfs.CountRowsAsync());
    }

    [Fact]
    public async Task A_hash_mismatch_is_400_and_stores_nothing()
    {
        var (bytes, oid) = Content(5000);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        var wrong = (byte[])bytes.Clone();
        wrong[4000] ^= 0xff;
        using var client = _lfs.Client();
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), Bytes(wrong));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_truncated_body_is_400_and_stores_nothing()
    {
        var (bytes, oid) = Content(5000);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        using var client = _lfs.Client();
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), new StreamContent(new NonSeekableStream(bytes[..2500])));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_body_longer_than_announced_is_400_and_stores_nothing()
    {
        var (bytes, oid) = Content(5000);
        var actions = await UploadBatchAsync(oid, 4000);
        using var client = _lfs.Client();
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), new StreamContent(new NonSeekableStream(bytes)));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_content_length_that_differs_from_the_announced_size_is_400()
    {
        var (bytes, oid) = Content(5000);
        var actions = await UploadBatchAsync(oid, 6000);
        using var client = _lfs.Client();
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), Bytes(bytes));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.BadRequest);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_expired_transfer_token_is_403_so_the_client_asks_the_batch_api_again()
    {
        var (bytes, oid) = Content(100);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        _lfs.Factory.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        using var client = _lfs.Client();
        using var put = await SendActionAsync(client, HttpMethod.Put, actions.GetProperty("upload"), Bytes(bytes));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.Forbidden);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_tampered_transfer_token_is_403()
    {
        var (bytes, oid) = Content(100);
        var upload = (await UploadBatchAsync(oid, bytes.Length)).GetProperty("upload");
        var token = upload.GetProperty("header").GetProperty("Authorization").GetString()!;
        var payload = token.Split('.')[1];
        var tampered = token.Replace(payload, payload[..^1] + (payload[^1] == 'A' ? 'B' : 'A'), StringComparison.Ordinal);
        using var client = _lfs.Client();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{LfsBase}/objects/{oid}") { Content = Bytes(bytes) };
        request.Headers.TryAddWithoutValidation("Authorization", tampered);
        using var put = await client.SendAsync(request);
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.Forbidden);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task A_transfer_token_for_another_oid_repo_or_operation_is_refused()
    {
        var (bytes, oid) = Content(100);
        var (otherBytes, otherOid) = Content(100, 2);
        var actions = await UploadBatchAsync(oid, bytes.Length);
        var auth = actions.GetProperty("upload").GetProperty("header").GetProperty("Authorization").GetString()!;
        // Upload batches offer no verify action any more; a verify token for this very object is minted as the server would.
        var tokens = _lfs.Factory.Services.GetRequiredService<StorageServer.Auth.TransferTokens>();
        Assert.True(tokens.TryValidate(auth["Bearer ".Length..], out var uploadGrant));
        var verifyAuth = "Bearer " + tokens.Issue(uploadGrant with { Operation = StorageServer.Auth.TransferOperation.Verify, Size = null, Ref = null });
        using var client = _lfs.Client();

        async Task<LfsReply> PutAsync(string path, string authorization, byte[] body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = Bytes(body) };
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await client.SendAsync(request);
            return await LfsReply.ReadAsync(response);
        }

        (await PutAsync($"{LfsBase}/objects/{otherOid}", auth, otherBytes)).AssertLfsError(HttpStatusCode.Forbidden);
        (await PutAsync($"{OtherLfsBase}/objects/{oid}", auth, bytes)).AssertLfsError(HttpStatusCode.Forbidden);
        (await PutAsync($"{LfsBase}/objects/{oid}", verifyAuth, bytes)).AssertLfsError(HttpStatusCode.Forbidden);
        using var get = new HttpRequestMessage(HttpMethod.Get, $"{LfsBase}/objects/{oid}");
        get.Headers.TryAddWithoutValidation("Authorization", auth);
        using var getResponse = await client.SendAsync(get);
        (await LfsReply.ReadAsync(getResponse)).AssertLfsError(HttpStatusCode.Forbidden);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task Credentials_work_for_transfers_with_the_right_scope()
    {
        var (bytes, oid) = Content(1000);
        using (var reader = _lfs.Client(_lfs.ReadToken))
        using (var denied = await reader.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes)))
        {
            (await LfsReply.ReadAsync(denied)).AssertLfsError(HttpStatusCode.Forbidden);
        }
        using (var anonymous = _lfs.Client())
        using (var unauthenticated = await anonymous.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes)))
        {
            var reply = await LfsReply.ReadAsync(unauthenticated);
            reply.AssertLfsError(HttpStatusCode.Unauthorized);
            Assert.Single(reply.Headers.GetValues("LFS-Authenticate"));
        }
        using var writer = _lfs.Client(_lfs.WriteToken);
        using (var put = await writer.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes)))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
        using var get = await _lfs.Client(_lfs.ReadToken).GetAsync($"{LfsBase}/objects/{oid}");
        Assert.Equal(bytes, await get.Content.ReadAsByteArrayAsync());
        using var otherGet = await _lfs.Client(_lfs.OtherWriteToken).GetAsync($"{OtherLfsBase}/objects/{oid}");
        (await LfsReply.ReadAsync(otherGet)).AssertLfsError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_credential_put_without_content_length_is_411()
    {
        var (bytes, oid) = Content(100);
        using var writer = _lfs.Client(_lfs.WriteToken);
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{LfsBase}/objects/{oid}") { Content = new StreamContent(new NonSeekableStream(bytes)) };
        request.Headers.TransferEncodingChunked = true;
        using var put = await writer.SendAsync(request);
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.LengthRequired);
        await AssertNothingStoredAsync();
    }

    [Fact]
    public async Task An_oversized_put_is_413_before_reading_and_the_batch_says_422()
    {
        await using var lfs = await CreateAsync(new Dictionary<string, string?> { ["Lfs:MaxObjectSize"] = "1000" });
        var (bytes, oid) = Content(1001);
        using var writer = lfs.Client(lfs.WriteToken);
        using var put = await writer.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.RequestEntityTooLarge);
        var batch = await BatchAsync(writer, "upload", (oid, 1001));
        Assert.Equal(422, batch.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Empty(lfs.StoreFiles());
    }

    [Fact]
    public async Task Verify_answers_200_404_or_422()
    {
        var (bytes, oid) = Content(100);
        var (_, missing) = Content(100, 5);
        await _lfs.UploadAsync(bytes, oid);
        using var client = _lfs.Client(_lfs.WriteToken);

        async Task<LfsReply> VerifyAsync(string pathOid, string body)
        {
            using var response = await client.PostAsync($"{LfsBase}/objects/{pathOid}/verify", new StringContent(body, Encoding.UTF8, LfsJson));
            return await LfsReply.ReadAsync(response);
        }

        Assert.Equal(HttpStatusCode.OK, (await VerifyAsync(oid, $$"""{"oid":"{{oid}}","size":100}""")).Status);
        (await VerifyAsync(oid, $$"""{"oid":"{{oid}}","size":99}""")).AssertLfsError(HttpStatusCode.UnprocessableEntity);
        (await VerifyAsync(oid, $$"""{"oid":"{{missing}}","size":100}""")).AssertLfsError(HttpStatusCode.UnprocessableEntity);
        (await VerifyAsync(missing, $$"""{"oid":"{{missing}}","size":100}""")).AssertLfsError(HttpStatusCode.NotFound);
        (await VerifyAsync(oid, "{oops")).AssertLfsError(HttpStatusCode.UnprocessableEntity);
        (await VerifyAsync(oid, "")).AssertLfsError(HttpStatusCode.UnprocessableEntity);
        (await VerifyAsync(oid, $$"""{"oid":"{{oid}}","size":-1}""")).AssertLfsError(HttpStatusCode.UnprocessableEntity);
    }

    [Theory]
    [InlineData("bytes=10-19", HttpStatusCode.PartialContent, "bytes 10-19/1000", 10, 10)]
    [InlineData("bytes=990-", HttpStatusCode.PartialContent, "bytes 990-999/1000", 990, 10)]
    [InlineData("bytes=-5", HttpStatusCode.PartialContent, "bytes 995-999/1000", 995, 5)]
    [InlineData("bytes=1000-", HttpStatusCode.RequestedRangeNotSatisfiable, "bytes */1000", 0, 0)]
    public async Task Range_requests_get_206_or_416(string range, HttpStatusCode expected, string contentRange, int start, int length)
    {
        var (bytes, oid) = Content(1000);
        await _lfs.UploadAsync(bytes, oid);
        await AssertRangeAsync(_lfs, oid, bytes, range, expected, contentRange, start, length);
    }

    [Theory]
    [InlineData("bytes=10-19", HttpStatusCode.PartialContent, "bytes 10-19/1000", 10, 10)]
    [InlineData("bytes=990-2000", HttpStatusCode.PartialContent, "bytes 990-999/1000", 990, 10)]
    [InlineData("bytes=-5", HttpStatusCode.PartialContent, "bytes 995-999/1000", 995, 5)]
    [InlineData("bytes=1000-", HttpStatusCode.RequestedRangeNotSatisfiable, "bytes */1000", 0, 0)]
    [InlineData(null, HttpStatusCode.OK, null, 0, 1000)]
    public async Task A_store_without_local_files_streams_with_its_own_range_handling(string? range, HttpStatusCode expected, string? contentRange, int start, int length)
    {
        await using var lfs = await CreateAsync(services: s => NonLocalObjectStore.Register(s, throwOnPut: false));
        var (bytes, oid) = Content(1000);
        await lfs.UploadAsync(bytes, oid);
        await AssertRangeAsync(lfs, oid, bytes, range, expected, contentRange, start, length);
    }

    private static async Task AssertRangeAsync(LfsTestContext lfs, string oid, byte[] bytes, string? range, HttpStatusCode expected, string? contentRange, int start, int length)
    {
        using var client = lfs.Client(lfs.ReadToken);
        var batch = await BatchAsync(client, "download", (oid, bytes.Length));
        using var anonymous = lfs.Client();
        using var get = await SendActionAsync(anonymous, HttpMethod.Get, Action(batch, 0, "download"), range: range);
        Assert.Equal(expected, get.StatusCode);
        Assert.Equal(contentRange, get.Content.Headers.ContentRange?.ToString());
        if (expected != HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            Assert.Equal(length, get.Content.Headers.ContentLength);
            Assert.Equal(bytes.AsSpan(start, length).ToArray(), await get.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Erased_objects_answer_410_and_cannot_be_uploaded_again()
    {
        var (bytes, oid) = Content(100);
        await _lfs.UploadAsync(bytes, oid);
        using (var scope = _lfs.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            await db.Objects.Where(o => o.Oid == oid).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Purged));
        }
        using var client = _lfs.Client(_lfs.WriteToken);
        var download = await BatchAsync(client, "download", (oid, 100));
        Assert.Equal(410, download.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        var upload = await BatchAsync(client, "upload", (oid, 100));
        Assert.Equal(410, upload.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        using var get = await client.GetAsync($"{LfsBase}/objects/{oid}");
        (await LfsReply.ReadAsync(get)).AssertLfsError(HttpStatusCode.Gone);
        using var put = await client.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.Gone);
    }

    [Fact]
    public async Task Trashed_objects_are_404_and_a_new_upload_makes_them_live_again()
    {
        var (bytes, oid) = Content(100);
        await _lfs.UploadAsync(bytes, oid);
        using (var scope = _lfs.Factory.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<StorageDbContext>();
            await db.Objects.Where(o => o.Oid == oid).ExecuteUpdateAsync(s => s.SetProperty(o => o.State, ObjectState.Trashed));
        }
        using var client = _lfs.Client(_lfs.WriteToken);
        var download = await BatchAsync(client, "download", (oid, 100));
        Assert.Equal(404, download.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        await _lfs.UploadAsync(bytes, oid);
        download = await BatchAsync(client, "download", (oid, 100));
        Assert.True(download.GetProperty("objects")[0].TryGetProperty("actions", out _));
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_object_both_succeed_with_one_row_each()
    {
        var (bytes, oid) = Content(200_000);
        var tasks = Enumerable.Range(0, 4).Select(async _ =>
        {
            using var writer = _lfs.Client(_lfs.WriteToken);
            using var put = await writer.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes));
            return put.StatusCode;
        });
        Assert.All(await Task.WhenAll(tasks), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal((1, 1), await _lfs.CountRowsAsync());
    }

    [Fact]
    public async Task A_failure_inside_the_lfs_api_is_a_500_in_lfs_json()
    {
        await using var lfs = await CreateAsync(services: s => NonLocalObjectStore.Register(s, throwOnPut: true));
        var (bytes, oid) = Content(100);
        using var writer = lfs.Client(lfs.WriteToken);
        using var put = await writer.PutAsync($"{LfsBase}/objects/{oid}", Bytes(bytes));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.InternalServerError);
        Assert.Equal((0, 0), await lfs.CountRowsAsync());
    }

    [Fact]
    public async Task Invalid_oids_in_transfer_urls_are_refused()
    {
        using var writer = _lfs.Client(_lfs.WriteToken);
        using var put = await writer.PutAsync($"{LfsBase}/objects/{Content(1).Oid.ToUpperInvariant()}", Bytes([1]));
        (await LfsReply.ReadAsync(put)).AssertLfsError(HttpStatusCode.BadRequest);
        using var get = await writer.GetAsync($"{LfsBase}/objects/..%2F..%2Fetc%2Fpasswd");
        Assert.Equal(LfsJson, get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
