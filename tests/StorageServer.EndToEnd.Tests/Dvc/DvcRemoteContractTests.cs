using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using StorageServer.EndToEnd.Tests.Support;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;
using static StorageServer.EndToEnd.Tests.Dvc.DvcRemoteReplayTests;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// What the DVC remote must refuse, and how: credentials (checked before any body byte), scopes,
/// MD5 and size checks that store nothing, manifests, the legacy tree, and one copy of the bytes
/// whether DVC, Git LFS or another repository sent them.
/// </summary>
public sealed class DvcRemoteContractTests(DvcServerFixture fixture) : IClassFixture<DvcServerFixture>
{
    private static readonly byte[] Hello = "hello world\n"u8.ToArray();
    private static readonly string HelloPath = FilePath("6f5902ac237024bdd0c176cb93063dc4");

    [Fact]
    public async Task Credentials_are_checked_before_the_body_and_scopes_are_those_of_git()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        var reader = await fixture.Server.CreateTokenAsync("bob", new Dictionary<string, string> { [repository] = "read" });

        // An upload without credentials is answered 401 with a challenge while its body has not even started.
        await using (var connection = await WireConnection.OpenAsync(fixture.Server.Port))
        {
            await connection.SendAsync($"POST /{repository}.git/info/dvc/{HelloPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n", null);
            var refused = await connection.ReceiveAsync(readBody: true).WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(401, refused.Status);
            Assert.Equal("Basic realm=\"StorageServer\"", refused.Header("WWW-Authenticate"));
        }
        await using (var anonymous = fixture.Client(repository, null))
        {
            Assert.Equal(401, (await anonymous.ExistsAsync(HelloPath)).Status);
        }
        await using (var wrong = fixture.Client(repository, "not-a-token-at-all"))
        {
            Assert.Equal(401, (await wrong.UploadAsync(HelloPath, Hello)).Status);
        }
        await using (var readOnly = fixture.Client(repository, reader))
        {
            Assert.Equal(403, (await readOnly.UploadAsync(HelloPath, Hello)).Status);
        }
        // Basic with any user name, and `auth custom` sending Authorization: Bearer.
        await using (var anyUser = fixture.ClientWithHeader(repository, DvcServerFixture.Basic("whoever", token)))
        {
            AssertStatus(201, await anyUser.UploadAsync(HelloPath, Hello));
        }
        await using (var bearer = fixture.ClientWithHeader(repository, "Bearer " + reader))
        {
            await AssertDownloadAsync(bearer, HelloPath, Hello);
        }
        // Another repository's token sees nothing here.
        var (_, otherToken) = await fixture.CreateRepoAsync();
        await using var stranger = fixture.Client(repository, otherToken);
        Assert.Equal(404, (await stranger.ExistsAsync(HelloPath)).Status);
        Assert.Equal(404, (await stranger.UploadAsync(HelloPath, Hello)).Status);
    }

    [Fact]
    public async Task A_body_whose_md5_is_not_the_path_or_that_is_too_large_is_refused_and_nothing_is_stored()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var before = fixture.StoreFiles();
        var other = FilePath("00112233445566778899aabbccddeeff");

        Assert.Equal(400, (await dvc.UploadAsync(other, Hello)).Status);
        var big = new byte[DvcServerFixture.MaxObjectSize + 1];
        RandomNumberGenerator.Fill(big);
        Assert.Equal(413, (await dvc.UploadAsync(FilePath(Md5(big)), big)).Status);
        await using (var connection = await WireConnection.OpenAsync(fixture.Server.Port))
        {
            await connection.SendAsync($"POST /{repository}.git/info/dvc/{other} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {DvcServerFixture.Basic("a", token)}\r\nContent-Length: {big.Length}\r\n\r\n", null);
            Assert.Equal(413, (await connection.ReceiveAsync(readBody: true).WaitAsync(TimeSpan.FromMinutes(2))).Status);
        }

        Assert.Equal(404, (await dvc.ExistsAsync(other)).Status);
        Assert.Equal(404, (await dvc.ExistsAsync(FilePath(Md5(big)))).Status);
        Assert.Equal((before.Objects, 0), fixture.StoreFiles());
        // 13 MiB, under the limit, goes up in three chunks as DVC sends it.
        var large = big.AsSpan(0, 13 * 1024 * 1024).ToArray();
        AssertStatus(201, await dvc.UploadAsync(FilePath(Md5(large)), large));
        await AssertDownloadAsync(dvc, FilePath(Md5(large)), large);
    }

    [Fact]
    public async Task A_manifest_is_accepted_only_in_DVCs_exact_format_with_every_entry_uploaded_here()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var sample = await DvcSample.CreateAsync(seed: 3);
        var dir = FilePath(sample.ManifestMd5, manifest: true);

        // Entries first, as DVC does; with one missing the manifest is refused (409) and not served.
        foreach (var file in sample.Dataset.Skip(1))
        {
            AssertStatus(201, await dvc.UploadAsync(FilePath(file.Md5), file.Content));
        }
        Assert.Equal(409, (await dvc.UploadAsync(dir, sample.Manifest)).Status);
        Assert.Equal(404, (await dvc.ExistsAsync(dir)).Status);

        // The same entries in another shape (pretty-printed, reordered, a trailing newline) are not a DVC manifest.
        AssertStatus(201, await dvc.UploadAsync(FilePath(sample.Dataset[0].Md5), sample.Dataset[0].Content));
        var text = Encoding.UTF8.GetString(sample.Manifest);
        foreach (var variant in new[] { text + "\n", text.Replace("\", \"relpath\"", "\",\"relpath\"", StringComparison.Ordinal), text.Replace("}, {", "},\n{", StringComparison.Ordinal) })
        {
            var bytes = Encoding.UTF8.GetBytes(variant);
            Assert.Equal(400, (await dvc.UploadAsync(FilePath(Md5(bytes), manifest: true), bytes)).Status);
        }
        AssertStatus(201, await dvc.UploadAsync(dir, sample.Manifest));
        await AssertDownloadAsync(dvc, dir, sample.Manifest);
    }

    [Fact]
    public async Task Legacy_tree_accepts_DVC_2s_md5_dos2unix_and_keeps_the_CRLF_bytes()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var crlf = "line1\r\nline2\r\n"u8.ToArray();

        // The notes' example: DVC 2 recorded 4fcc82a8… (the LF form's MD5) and uploaded the CRLF bytes there.
        AssertStatus(201, await dvc.UploadAsync(LegacyPath("4fcc82a88ee38e0aa16c17f512c685c9"), crlf, "PUT"));
        await AssertDownloadAsync(dvc, LegacyPath("4fcc82a88ee38e0aa16c17f512c685c9"), crlf);
        // The DVC 3 tree takes the raw MD5 only, and the trees are separate.
        Assert.Equal(400, (await dvc.UploadAsync(FilePath("4fcc82a88ee38e0aa16c17f512c685c9"), crlf)).Status);
        Assert.Equal(404, (await dvc.ExistsAsync(FilePath(Md5(crlf)))).Status);
        AssertStatus(201, await dvc.UploadAsync(LegacyPath(Md5(Hello)), Hello));
    }

    [Fact]
    public async Task Bytes_are_stored_once_whether_DVC_LFS_or_another_repository_sent_them_but_each_repository_must_upload_them()
    {
        var (first, firstToken) = await fixture.CreateRepoAsync();
        var (second, secondToken) = await fixture.CreateRepoAsync();
        var content = new byte[70_000];
        RandomNumberGenerator.Fill(content);
        var path = FilePath(Md5(content));
        await using var one = fixture.Client(first, firstToken);
        await using var two = fixture.Client(second, secondToken);
        var before = fixture.StoreFiles().Objects;

        AssertStatus(201, await one.UploadAsync(path, content));
        Assert.Equal(404, (await two.ExistsAsync(path)).Status);
        AssertStatus(201, await two.UploadAsync(path, content));
        Assert.Equal(before + 1, fixture.StoreFiles().Objects);

        // Git LFS in the first repository finds the object there already (no upload action) and downloads it.
        using var lfs = fixture.Server.CreateClient(firstToken);
        var oid = Convert.ToHexStringLower(SHA256.HashData(content));
        foreach (var operation in new[] { BatchOperations.Upload, BatchOperations.Download })
        {
            var batch = new BatchRequest { Operation = operation, Objects = [new BatchRequestObject(oid, content.Length)] };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/{first}.git/info/lfs/objects/batch")
            {
                Content = JsonContent.Create(batch, LfsJsonContext.Default.BatchRequest, new MediaTypeHeaderValue(LfsMediaTypes.Json)),
            };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LfsMediaTypes.Json));
            using var response = await lfs.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var answer = (await response.Content.ReadFromJsonAsync(LfsJsonContext.Default.BatchResponse))!.Objects.Single();
            Assert.Null(answer.Error);
            Assert.Equal(operation == BatchOperations.Download, answer.Actions?.Download is not null);
            Assert.Null(answer.Actions?.Upload);
        }
    }

    [Fact]
    public async Task Eight_uploads_and_checks_in_flight_as_DVCs_default_jobs_send_them()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var files = Enumerable.Range(0, 24).Select(i => Encoding.ASCII.GetBytes($"file {i}\n" + new string('x', i * 1000))).ToList();
        using var jobs = new SemaphoreSlim(8);

        async Task<int> Run(Func<Task<WireResponse>> request)
        {
            await jobs.WaitAsync();
            try
            {
                return (await request()).Status;
            }
            finally
            {
                jobs.Release();
            }
        }
        Assert.All(await Task.WhenAll(files.Select(f => Run(() => dvc.ExistsAsync(FilePath(Md5(f)))))), s => Assert.Equal(404, s));
        Assert.All(await Task.WhenAll(files.Select(f => Run(() => dvc.UploadAsync(FilePath(Md5(f)), f)))), s => Assert.Equal(201, s));
        Assert.All(await Task.WhenAll(files.Select(f => Run(() => dvc.ExistsAsync(FilePath(Md5(f)))))), s => Assert.Equal(200, s));
    }
}
