using System.Net;
using StorageServer.Tests.Support;
using static StorageServer.Tests.Lfs.LfsTestContext;

namespace StorageServer.Tests.Lfs;

public sealed class BatchApiTests : IAsyncLifetime
{
    private LfsTestContext _lfs = null!;

    public async Task InitializeAsync() => _lfs = await CreateAsync();

    public async Task DisposeAsync() => await _lfs.DisposeAsync();

    [Fact]
    public async Task Upload_of_a_new_object_gets_an_upload_action_with_a_bearer_token_and_no_verify()
    {
        var (_, oid) = Content(10);
        using var client = _lfs.Client(_lfs.WriteToken);
        var batch = await BatchAsync(client, "upload", (oid, 10));
        Assert.Equal("basic", batch.GetProperty("transfer").GetString());
        Assert.Equal("sha256", batch.GetProperty("hash_algo").GetString());
        var entry = batch.GetProperty("objects")[0];
        Assert.Equal(oid, entry.GetProperty("oid").GetString());
        Assert.Equal(10, entry.GetProperty("size").GetInt64());
        Assert.True(entry.GetProperty("authenticated").GetBoolean());
        var upload = Action(batch, 0, "upload");
        Assert.Equal($"http://localhost{LfsBase}/objects/{oid}", upload.GetProperty("href").GetString());
        Assert.StartsWith("Bearer ss_xfer.", upload.GetProperty("header").GetProperty("Authorization").GetString(), StringComparison.Ordinal);
        Assert.Equal(3600, upload.GetProperty("expires_in").GetInt64());
        // The PUT's 200 means stored, hashed, fsynced and claimed: a verify action would only make
        // git-lfs send a second request per object.
        Assert.False(entry.GetProperty("actions").TryGetProperty("verify", out _), "a verify action came back for an upload through the server");
    }

    [Fact]
    public async Task Hrefs_use_the_configured_public_url()
    {
        await using var lfs = await CreateAsync(new Dictionary<string, string?> { ["StorageServer:PublicUrl"] = "https://lfs.example.com/base/" });
        var (_, oid) = Content(3);
        using var client = lfs.Client(lfs.WriteToken);
        var batch = await BatchAsync(client, "upload", (oid, 3));
        Assert.Equal($"https://lfs.example.com/base/team/data.git/info/lfs/objects/{oid}", Action(batch, 0, "upload").GetProperty("href").GetString());
    }

    [Fact]
    public async Task Forwarded_headers_are_not_trusted_for_hrefs()
    {
        var (_, oid) = Content(3);
        using var client = _lfs.Client(_lfs.WriteToken);
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "evil.example");
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var batch = await BatchAsync(client, "upload", (oid, 3));
        Assert.StartsWith("http://localhost/", Action(batch, 0, "upload").GetProperty("href").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_object_this_repo_already_has_gets_no_actions_and_download_gets_a_download_action()
    {
        var (bytes, oid) = Content(100);
        await _lfs.UploadAsync(bytes, oid);
        using var client = _lfs.Client(_lfs.WriteToken);
        var upload = await BatchAsync(client, "upload", (oid, 100));
        var entry = upload.GetProperty("objects")[0];
        Assert.False(entry.TryGetProperty("actions", out _));
        Assert.False(entry.TryGetProperty("error", out _));

        var download = await BatchAsync(client, "download", (oid, 100));
        Assert.Equal($"http://localhost{LfsBase}/objects/{oid}", Action(download, 0, "download").GetProperty("href").GetString());
    }

    [Fact]
    public async Task Download_of_an_unknown_object_is_a_per_object_404()
    {
        var (_, oid) = Content(5);
        using var client = _lfs.Client(_lfs.ReadToken);
        var batch = await BatchAsync(client, "download", (oid, 5));
        var entry = batch.GetProperty("objects")[0];
        Assert.Equal(404, entry.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal(oid, entry.GetProperty("oid").GetString());
        Assert.False(entry.TryGetProperty("actions", out _));
    }

    [Fact]
    public async Task Another_repo_cannot_download_an_object_it_never_uploaded_and_must_send_the_bytes_to_claim_it()
    {
        var (bytes, oid) = Content(64);
        await _lfs.UploadAsync(bytes, oid);
        using var other = _lfs.Client(_lfs.OtherWriteToken);
        var reply = await PostBatchAsync(other, BatchJson("download", (oid, 64)), OtherLfsBase);
        LfsSchema.BatchResponse.AssertValid(reply.Body);
        Assert.Equal(404, reply.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());

        // Upload from the other repo: the object exists globally, but it still has to be sent.
        var upload = await PostBatchAsync(other, BatchJson("upload", (oid, 64)), OtherLfsBase);
        LfsSchema.BatchResponse.AssertValid(upload.Body);
        Assert.True(upload.Json.GetProperty("objects")[0].GetProperty("actions").TryGetProperty("upload", out _));

        await _lfs.UploadAsync(bytes, oid, _lfs.OtherWriteToken, OtherLfsBase);
        var after = await PostBatchAsync(other, BatchJson("download", (oid, 64)), OtherLfsBase);
        Assert.True(after.Json.GetProperty("objects")[0].GetProperty("actions").TryGetProperty("download", out _));
        Assert.Equal((1, 2), await _lfs.CountRowsAsync());
    }

    [Theory]
    [InlineData("application/vnd.git-lfs+json; charset=utf-8")]
    [InlineData("application/vnd.git-lfs+json")]
    [InlineData("application/json")]
    public async Task Accepts_lfs_and_plain_json_content_types(string contentType)
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        using var content = new StringContent(BatchJson("download", (Content(1).Oid, 1)));
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync($"{LfsBase}/objects/batch", content);
        var reply = await LfsReply.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(LfsJson, reply.ContentType);
        LfsSchema.BatchResponse.AssertValid(reply.Body);
    }

    [Theory]
    [InlineData("""{"operation":"download","objects":[]}""")]
    [InlineData("""{"operation":"download","objects":[],"ref":null}""")]
    [InlineData("""{"operation":"download","objects":[],"ref":{}}""")]
    [InlineData("""{"operation":"download","objects":[],"transfers":["tus","custom","basic"]}""")]
    [InlineData("""{"operation":"download","objects":[],"transfers":[]}""")]
    public async Task Tolerates_missing_null_or_empty_ref_and_any_transfers(string json)
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        var reply = await PostBatchAsync(client, json);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        LfsSchema.BatchResponse.AssertValid(reply.Body);
        Assert.Equal("basic", reply.Json.GetProperty("transfer").GetString());
    }

    [Theory]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("null", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", HttpStatusCode.BadRequest)]
    [InlineData("""{"operation":"download","objects":[{"oid":"ab","size":"12"}]}""", HttpStatusCode.BadRequest)]
    [InlineData("""{"operation":"delete","objects":[]}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"objects":[]}""", HttpStatusCode.UnprocessableEntity)]
    [InlineData("""{"operation":"upload"}""", HttpStatusCode.UnprocessableEntity)]
    public async Task Bad_requests_get_lfs_errors(string json, HttpStatusCode expected)
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var reply = await PostBatchAsync(client, json);
        reply.AssertLfsError(expected);
        Assert.False(string.IsNullOrEmpty(reply.Json.GetProperty("request_id").GetString()));
    }

    [Fact]
    public async Task A_body_over_the_json_limit_is_413()
    {
        await using var lfs = await CreateAsync(new Dictionary<string, string?> { ["Lfs:MaxJsonBodyBytes"] = "2048" });
        using var client = lfs.Client(lfs.WriteToken);
        var objects = Enumerable.Range(0, 40).Select(i => (Content(1, i).Oid, 1L)).ToArray();
        var reply = await PostBatchAsync(client, BatchJson("download", objects));
        reply.AssertLfsError(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task More_objects_than_the_limit_is_413()
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        var objects = Enumerable.Range(0, 1001).Select(i => (Content(1, i).Oid, 1L)).ToArray();
        var reply = await PostBatchAsync(client, BatchJson("download", objects));
        reply.AssertLfsError(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    public async Task Large_batches_answer_every_object_in_order(int count)
    {
        var (bytes, stored) = Content(7, 99999);
        await _lfs.UploadAsync(bytes, stored);
        var objects = Enumerable.Range(0, count).Select(i => i == count / 2 ? (stored, 7L) : (Content(1, i).Oid, 1L)).ToArray();
        using var client = _lfs.Client(_lfs.WriteToken);
        foreach (var operation in new[] { "download", "upload" })
        {
            var batch = await BatchAsync(client, operation, objects);
            var entries = batch.GetProperty("objects").EnumerateArray().ToList();
            Assert.Equal(count, entries.Count);
            Assert.Equal(objects.Select(o => o.Item1), entries.Select(e => e.GetProperty("oid").GetString()));
            Assert.Equal(operation == "download" ? 1 : count - 1, entries.Count(e => e.TryGetProperty("actions", out _)));
        }
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("../../../../../../../../../../../../../../../../../../../../../etc/passwd00000000000000")]
    [InlineData("E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b85")]
    [InlineData("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8555")]
    [InlineData("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("")]
    public async Task Invalid_oids_are_per_object_422_and_the_rest_is_answered(string badOid)
    {
        var (_, good) = Content(4);
        foreach (var operation in new[] { "download", "upload" })
        {
            using var client = _lfs.Client(_lfs.WriteToken);
            var batch = await BatchAsync(client, operation, (badOid, 4), (good, 4));
            var entries = batch.GetProperty("objects");
            Assert.Equal(2, entries.GetArrayLength());
            Assert.Equal(badOid, entries[0].GetProperty("oid").GetString());
            Assert.Equal(422, entries[0].GetProperty("error").GetProperty("code").GetInt32());
            Assert.False(entries[0].TryGetProperty("actions", out _));
            Assert.False(entries[1].TryGetProperty("error", out _) && operation == "upload");
        }
        Assert.DoesNotContain(_lfs.StoreFiles(), f => !f.Contains("/.tmp/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(100L * 1024 * 1024 * 1024 + 1)]
    public async Task Negative_or_oversized_sizes_are_per_object_422(long size)
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var batch = await BatchAsync(client, "upload", (Content(2).Oid, size));
        var entry = batch.GetProperty("objects")[0];
        Assert.Equal(Math.Max(0, size), entry.GetProperty("size").GetInt64()); // the schema has minimum 0
        Assert.Equal(422, entry.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_hash_algorithm_other_than_sha256_is_a_per_object_409()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var json = $$"""{"operation":"upload","objects":[{"oid":"{{Content(1).Oid}}","size":1}],"hash_algo":"sha512"}""";
        var reply = await PostBatchAsync(client, json);
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        LfsSchema.BatchResponse.AssertValid(reply.Body);
        Assert.Equal(409, reply.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("sha256", reply.Json.GetProperty("hash_algo").GetString());
    }

    [Fact]
    public async Task No_credentials_is_401_with_an_lfs_authenticate_challenge()
    {
        using var client = _lfs.Client();
        var reply = await PostBatchAsync(client, BatchJson("download", (Content(1).Oid, 1)));
        reply.AssertLfsError(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic realm=\"StorageServer\"", Assert.Single(reply.Headers.GetValues("LFS-Authenticate")));
    }

    [Fact]
    public async Task A_wrong_password_is_401_with_an_lfs_authenticate_challenge()
    {
        using var client = _lfs.Client("not-a-real-token");
        var reply = await PostBatchAsync(client, BatchJson("download", (Content(1).Oid, 1)));
        reply.AssertLfsError(HttpStatusCode.Unauthorized);
        Assert.Single(reply.Headers.GetValues("LFS-Authenticate"));
    }

    [Fact]
    public async Task A_read_only_token_cannot_upload_but_can_download()
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        var reply = await PostBatchAsync(client, BatchJson("upload", (Content(1).Oid, 1)));
        reply.AssertLfsError(HttpStatusCode.Forbidden);
        await BatchAsync(client, "download", (Content(1).Oid, 1));
    }

    [Fact]
    public async Task A_token_of_another_repo_gets_404()
    {
        using var client = _lfs.Client(_lfs.OtherWriteToken);
        var reply = await PostBatchAsync(client, BatchJson("download", (Content(1).Oid, 1)));
        reply.AssertLfsError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_unknown_repo_gets_404_and_unknown_lfs_paths_answer_lfs_json()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        (await PostBatchAsync(client, BatchJson("download"), "/team/nope.git/info/lfs")).AssertLfsError(HttpStatusCode.NotFound);
        using var response = await client.GetAsync($"{LfsBase}/no/such/thing");
        (await LfsReply.ReadAsync(response)).AssertLfsError(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_repository_path_works_without_the_git_suffix()
    {
        using var client = _lfs.Client(_lfs.ReadToken);
        var reply = await PostBatchAsync(client, BatchJson("download", (Content(1).Oid, 1)), "/team/data/info/lfs");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }

    [Fact]
    public async Task Duplicate_objects_in_one_request_are_each_answered()
    {
        var oid = Content(1).Oid;
        using var client = _lfs.Client(_lfs.WriteToken);
        var batch = await BatchAsync(client, "upload", (oid, 1), (oid, 1));
        Assert.Equal(2, batch.GetProperty("objects").GetArrayLength());
    }

    [Fact]
    public async Task Null_objects_in_the_list_are_answered_with_422()
    {
        using var client = _lfs.Client(_lfs.WriteToken);
        var reply = await PostBatchAsync(client, """{"operation":"upload","objects":[null]}""");
        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal(422, reply.Json.GetProperty("objects")[0].GetProperty("error").GetProperty("code").GetInt32());
    }
}
