using System.Globalization;
using static StorageServer.EndToEnd.Tests.Dvc.DvcWireClient;

namespace StorageServer.EndToEnd.Tests.Dvc;

/// <summary>
/// Replays the request sequences of <c>dvc-http-remote-notes.md</c> (§3.6 and the log of §7) byte
/// for byte against a real server process, and checks every answer against what DVC makes of it.
/// </summary>
public sealed class DvcRemoteReplayTests(DvcServerFixture fixture) : IClassFixture<DvcServerFixture>
{
    [Fact]
    public async Task Push_to_an_empty_remote_push_with_nothing_new_pull_with_an_empty_cache_and_status_replay_as_in_the_notes()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        var sample = await DvcSample.CreateAsync();
        // The files the notes name by content have the notes' MD5s, and Python's manifest is DVC's.
        Assert.Equal("6f5902ac237024bdd0c176cb93063dc4", sample.Dataset[0].Md5);
        Assert.Equal("5608581a230a4dcfcc85540b1fdaf5fc", sample.Dataset[1].Md5);
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", sample.Dataset[2].Md5);
        var dir = FilePath(sample.ManifestMd5, manifest: true);
        var model = FilePath(sample.Model.Md5);
        var entries = sample.Dataset.Select(f => FilePath(f.Md5)).ToList();
        await using var dvc = fixture.Client(repository, token);

        // ---- dvc push (empty remote): every check GET → 404, the manifest read fails, then uploads.
        foreach (var path in new[] { dir, entries[3], entries[2], entries[1], model, entries[0], dir, entries[4] })
        {
            AssertStatus(404, await dvc.ExistsAsync(path));
        }
        var head = await dvc.HeadAsync(dir);
        AssertStatus(404, head);
        Assert.Null(head.Body);
        AssertStatus(404, await dvc.DownloadAsync(dir));
        foreach (var index in new[] { 0, 2, 4, 1, 3 })
        {
            AssertStatus(201, await dvc.UploadAsync(entries[index], sample.Dataset[index].Content));
        }
        AssertStatus(201, await dvc.UploadAsync(dir, sample.Manifest));
        AssertStatus(201, await dvc.UploadAsync(model, sample.Model.Content));

        // ---- dvc push (nothing new): "Everything is up to date" needs 200 on the checks and the manifest readable.
        AssertStatus(200, await dvc.ExistsAsync(dir));
        await AssertManifestReadAsync(dvc, dir, sample.Manifest);
        AssertStatus(200, await dvc.ExistsAsync(model));

        // ---- dvc pull (local cache and workspace deleted): probe, manifest, checks, downloads.
        var probe = await dvc.ProbeAsync();
        Assert.True(probe.Status is 404, $"probe: {probe}");
        AssertStatus(200, await dvc.ExistsAsync(dir));
        await AssertManifestReadAsync(dvc, dir, sample.Manifest);
        AssertStatus(200, await dvc.ExistsAsync(model));
        for (var i = 0; i < entries.Count; i++)
        {
            await AssertDownloadAsync(dvc, entries[i], sample.Dataset[i].Content);
        }
        await AssertDownloadAsync(dvc, model, sample.Model.Content);
        await AssertDownloadAsync(dvc, dir, sample.Manifest);

        // ---- dvc status -c without a local cache: checks of the .dir and top-level file, manifest read.
        AssertStatus(200, await dvc.ExistsAsync(dir));
        AssertStatus(200, await dvc.ExistsAsync(model));
        await AssertManifestReadAsync(dvc, dir, sample.Manifest);

        // The legacy probe of a DVC 2 remote is harmless too.
        Assert.Equal(404, (await dvc.ProbeAsync(string.Empty)).Status);
    }

    [Fact]
    public async Task Method_PUT_uploads_as_POST_does_and_overwriting_is_idempotent()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var file = new DvcSampleFile("new.txt", "seventeen bytes!\n"u8.ToArray());
        var path = FilePath(file.Md5);

        AssertStatus(404, await dvc.ExistsAsync(path));
        AssertStatus(201, await dvc.UploadAsync(path, file.Content, "PUT"));
        AssertStatus(200, await dvc.UploadAsync(path, file.Content, "PUT"));
        AssertStatus(200, await dvc.UploadAsync(path, file.Content, "POST"));
        await AssertDownloadAsync(dvc, path, file.Content);
    }

    [Fact]
    public async Task An_empty_chunked_body_stores_the_empty_file()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var path = FilePath("d41d8cd98f00b204e9800998ecf8427e");

        AssertStatus(201, await dvc.UploadAsync(path, []));
        AssertStatus(200, await dvc.UploadAsync(path, [], "PUT"));
        var head = await dvc.HeadAsync(path);
        AssertStatus(200, head);
        Assert.Equal(0, head.ContentLength);
        await AssertDownloadAsync(dvc, path, []);
    }

    [Fact]
    public async Task A_manifest_over_5_MiB_is_read_in_5_MiB_range_blocks_and_a_range_past_its_end_is_416()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var file = new DvcSampleFile("x", "one file, many names\n"u8.ToArray());
        AssertStatus(201, await dvc.UploadAsync(FilePath(file.Md5), file.Content));
        var manifest = await PythonManifest.CreateAsync(Enumerable.Range(0, 80_000).Select(i => ($"d/{i:D8}.bin", file.Md5)));
        Assert.True(manifest.Length > BlockSize, $"manifest of {manifest.Length} bytes");
        var dir = FilePath(Md5(manifest), manifest: true);
        AssertStatus(201, await dvc.UploadAsync(dir, manifest));

        Assert.Equal(manifest, await dvc.ReadManifestAsync(dir));
        var second = await dvc.RangeAsync(dir, BlockSize, manifest.Length - 1);
        AssertStatus(206, second);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"bytes {BlockSize}-{manifest.Length - 1}/{manifest.Length}"), second.Header("Content-Range"));
        var past = await dvc.RangeAsync(dir, manifest.Length, manifest.Length + 10);
        AssertStatus(416, past);
        Assert.Equal($"bytes */{manifest.Length}", past.Header("Content-Range"));
    }

    [Fact]
    public async Task HEAD_answers_the_size_with_identity_encoding_and_no_body_as_the_notes_recommend()
    {
        var (repository, token) = await fixture.CreateRepoAsync();
        await using var dvc = fixture.Client(repository, token);
        var sample = await DvcSample.CreateAsync(seed: 7);
        foreach (var file in sample.Dataset)
        {
            AssertStatus(201, await dvc.UploadAsync(FilePath(file.Md5), file.Content));
        }
        var dir = FilePath(sample.ManifestMd5, manifest: true);
        AssertStatus(201, await dvc.UploadAsync(dir, sample.Manifest));

        var head = await dvc.HeadAsync(dir);
        AssertStatus(200, head);
        Assert.Equal(sample.Manifest.Length, head.ContentLength);
        Assert.Null(head.Header("Content-Encoding"));
        Assert.Equal("bytes", head.Header("Accept-Ranges"));
        // The connection stays usable: HEAD sent no body.
        await AssertDownloadAsync(dvc, dir, sample.Manifest);
    }

    internal static void AssertStatus(int expected, WireResponse response)
    {
        Assert.True(response.Status == expected, $"expected {expected}, got {response}");
        Assert.Null(response.Header("Content-Encoding"));
    }

    internal static async Task AssertDownloadAsync(DvcWireClient dvc, string path, byte[] content)
    {
        var response = await dvc.DownloadAsync(path);
        AssertStatus(200, response);
        Assert.Equal(content.Length, response.ContentLength);
        Assert.Equal(content, response.Body);
    }

    private static async Task AssertManifestReadAsync(DvcWireClient dvc, string path, byte[] manifest)
    {
        var head = await dvc.HeadAsync(path);
        AssertStatus(200, head);
        Assert.Equal(manifest.Length, head.ContentLength);
        var range = await dvc.RangeAsync(path, 0, manifest.Length - 1);
        AssertStatus(206, range);
        Assert.Equal($"bytes 0-{manifest.Length - 1}/{manifest.Length}", range.Header("Content-Range"));
        Assert.Equal(manifest, range.Body);
    }

    internal static string Md5(byte[] content) => DvcMd5.Of(content);
}
