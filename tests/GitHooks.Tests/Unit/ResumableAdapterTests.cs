using System.Net;
using System.Net.Http.Headers;
using GitHooks.Api;
using GitHooks.LocalStorage;
using GitHooks.Progress;
using GitHooks.Tests.Support;
using GitHooks.Transfer;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Tests.Unit;

/// <summary>
/// How the tus upload and the ranged download pick up where an earlier attempt stopped, against a
/// server double that answers with the offsets and statuses a real server can give. The end-to-end
/// proof over a dropped connection is ResumableTransferTests in the end-to-end suite.
/// </summary>
public sealed class ResumableAdapterTests : IDisposable
{
    private const string Href = "http://lfs.test/repo.git/info/lfs/objects/x";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "gs-resume-" + Guid.NewGuid().ToString("N"));
    private readonly LfsObjectStore _store;
    private readonly byte[] _data = new byte[10_000];
    private readonly List<(string Method, long? Offset, byte[] Body)> _requests = [];

    public ResumableAdapterTests()
    {
        _store = new LfsObjectStore(Path.Combine(_dir, "lfs"));
        new Random(16).NextBytes(_data);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<LfsPointer> CacheAsync()
    {
        var output = new MemoryStream();
        await new FileFilter(_store).CleanAsync(new MemoryStream(_data), output, CancellationToken.None);
        Assert.True(LfsPointer.TryParse(output.ToArray(), out var pointer));
        return pointer;
    }

    /// <summary>An object not in the cache whose download stopped after <paramref name="kept"/> bytes.</summary>
    private async Task<LfsPointer> InterruptedDownloadAsync(int kept)
    {
        var pointer = await CacheAsync();
        File.Delete(_store.ObjectPath(pointer.Oid));
        Directory.CreateDirectory(_store.IncompleteDirectory);
        await File.WriteAllBytesAsync(_store.IncompletePath(pointer.Oid), _data[..kept]);
        return pointer;
    }

    private static BatchResponseObject Answer(LfsPointer pointer, bool upload) => new(pointer.Oid.Value, pointer.Size)
    {
        Authenticated = true,
        Actions = upload ? new BatchActions { Upload = new BatchAction(Href) } : new BatchActions { Download = new BatchAction(Href) },
    };

    /// <summary>A server double: records each request's method, offset header and body.</summary>
    private LfsHttpClient Server(Func<HttpRequestMessage, HttpResponseMessage> answer) => new(new FakeHandler(request =>
    {
        var offset = request.Headers.TryGetValues("Upload-Offset", out var values) ? long.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : request.Headers.Range?.Ranges.Single().From;
        _requests.Add((request.Method.Method, offset, request.Content?.ReadAsByteArrayAsync().GetAwaiter().GetResult() ?? []));
        return answer(request);
    }), new FakeCredentials());

    private static HttpResponseMessage Offset(long offset, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return response;
    }

    private ResumableUploadAdapter Uploader(LfsHttpClient http) => new(http, _store, TransferProgress.Silent, TimeProvider.System);

    [Fact]
    public async Task A_tus_upload_sends_only_what_the_server_does_not_hold_yet()
    {
        var pointer = await CacheAsync();
        using var http = Server(request => request.Method == HttpMethod.Head ? Offset(6_000) : Offset(10_000, HttpStatusCode.NoContent));

        await Uploader(http).TransferAsync(pointer, Answer(pointer, upload: true), CancellationToken.None);

        Assert.Equal(["HEAD", "PATCH"], _requests.Select(r => r.Method));
        Assert.Equal(6_000, _requests[1].Offset);
        Assert.Equal(_data[6_000..], _requests[1].Body);
    }

    [Fact]
    public async Task A_tus_upload_the_server_already_holds_whole_sends_nothing()
    {
        var pointer = await CacheAsync();
        using var http = Server(_ => Offset(10_000));

        await Uploader(http).TransferAsync(pointer, Answer(pointer, upload: true), CancellationToken.None);

        Assert.Equal(["HEAD"], _requests.Select(r => r.Method));
    }

    [Fact]
    public async Task A_conflicting_offset_is_retried_from_the_servers_new_answer_and_a_missing_one_names_the_fix()
    {
        var pointer = await CacheAsync();
        using var conflict = Server(request => request.Method == HttpMethod.Head ? Offset(2_000) : new HttpResponseMessage(HttpStatusCode.Conflict));
        var retry = await Assert.ThrowsAsync<TransferException>(() => Uploader(conflict).TransferAsync(pointer, Answer(pointer, upload: true), CancellationToken.None));
        Assert.True(retry.Retryable);
        Assert.Equal(TimeSpan.Zero, retry.RetryAfter);

        using var silent = Server(_ => new HttpResponseMessage(HttpStatusCode.OK));
        var broken = await Assert.ThrowsAsync<TransferException>(() => Uploader(silent).TransferAsync(pointer, Answer(pointer, upload: true), CancellationToken.None));
        Assert.False(broken.Retryable);
        Assert.Contains("git config storage.resumableUploads false", broken.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_keeps_its_part_file_and_asks_for_the_rest_with_Range()
    {
        var pointer = await InterruptedDownloadAsync(4_000);
        using var http = Server(request =>
        {
            var from = request.Headers.Range!.Ranges.Single().From!.Value;
            var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(_data[(int)from..]) };
            response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, _data.Length - 1, _data.Length);
            return response;
        });

        await new DownloadAdapter(http, _store, TransferProgress.Silent, TimeProvider.System).TransferAsync(pointer, Answer(pointer, upload: false), CancellationToken.None);

        Assert.Equal(4_000, Assert.Single(_requests).Offset);
        Assert.Equal(_data, await File.ReadAllBytesAsync(_store.ObjectPath(pointer.Oid)));
        Assert.False(File.Exists(_store.IncompletePath(pointer.Oid)));
    }

    [Fact]
    public async Task A_server_that_ignores_Range_sends_the_whole_object_and_the_part_file_is_replaced_not_appended_to()
    {
        var pointer = await InterruptedDownloadAsync(4_000);
        using var http = Server(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_data) });

        await new DownloadAdapter(http, _store, TransferProgress.Silent, TimeProvider.System).TransferAsync(pointer, Answer(pointer, upload: false), CancellationToken.None);

        Assert.Equal(_data, await File.ReadAllBytesAsync(_store.ObjectPath(pointer.Oid)));
    }
}
