using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Protocol;
using Oid = StorageServer.Protocol.Oid;
using StorageServer.Protocol.Batch;

namespace GitHooks.Tests.Support;

/// <summary>One request the test server saw, for assertions.</summary>
public sealed record SeenRequest(string Method, string Path, string? Range, string? Authorization);

/// <summary>
/// A small but correct plain Git LFS server (batch API + basic transfers + verify) on
/// 127.0.0.1 with a free port, for end-to-end tests of both git-storage and git-lfs. Objects live
/// in a directory per repository. Tests can make it require Basic auth, answer per-object
/// 404/410, answer batches with 429/5xx, fail transfers, or drop a download half way.
/// URLs: <c>{Base}/{repo}.git/info/lfs</c>, as StorageServer will serve them.
/// </summary>
public sealed class LfsTestServer : IAsyncDisposable
{
    public const string TransferToken = "transfer-token-123";

    private readonly WebApplication _app;
    private readonly string _storage;

    private LfsTestServer(WebApplication app, string storage)
    {
        _app = app;
        _storage = storage;
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>When set, batch calls need HTTP Basic with exactly these; otherwise 401 + LFS-Authenticate.</summary>
    public (string User, string Password)? RequiredCredential { get; set; }

    /// <summary>The message of a per-object error, by oid (a default one otherwise).</summary>
    public ConcurrentDictionary<string, string> ObjectErrorMessages { get; } = new();

    /// <summary>Per-object errors in batch answers (404 missing, 410 erased), by oid.</summary>
    public ConcurrentDictionary<string, int> ObjectErrors { get; } = new();

    /// <summary>Statuses for the next batch calls (e.g. 429, 503), consumed one per call.</summary>
    public ConcurrentQueue<int> NextBatchStatuses { get; } = new();

    /// <summary>Statuses for the next GET/PUT of an oid, consumed one per request.</summary>
    public ConcurrentDictionary<string, ConcurrentQueue<int>> NextTransferStatuses { get; } = new();

    /// <summary>The next GET of an oid sends this many bytes and then drops the connection.</summary>
    public ConcurrentDictionary<string, long> DropDownloadAfter { get; } = new();

    /// <summary>Whether upload answers carry a verify action.</summary>
    public bool OfferVerify { get; set; } = true;

    public ConcurrentQueue<SeenRequest> Requests { get; } = new();

    public Uri LfsUrl(string repo) => new(BaseUrl, $"{repo}.git/info/lfs");

    public string ObjectPath(string repo, string oid) => Path.Combine(_storage, repo, oid);

    public bool HasObject(string repo, string oid) => File.Exists(ObjectPath(repo, oid));

    public int Count(string method, string pathContains) => Requests.Count(r => r.Method == method && r.Path.Contains(pathContains, StringComparison.Ordinal));

    /// <summary>Puts an object straight into the store, bypassing the API.</summary>
    public void Seed(string repo, byte[] data)
    {
        var oid = Convert.ToHexStringLower(SHA256.HashData(data));
        Directory.CreateDirectory(Path.Combine(_storage, repo));
        File.WriteAllBytes(ObjectPath(repo, oid), data);
    }

    public static async Task<LfsTestServer> StartAsync(string storage)
    {
        Directory.CreateDirectory(storage);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o =>
        {
            o.Listen(IPAddress.Loopback, 0);
            o.Limits.MaxRequestBodySize = null; // objects can be gigabytes
        });
        var app = builder.Build();
        var server = new LfsTestServer(app, storage);
        server.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            Requests.Enqueue(new SeenRequest(context.Request.Method, context.Request.Path, context.Request.Headers.Range.ToString() is { Length: > 0 } r ? r : null,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null));
            await next(context);
        });
        app.MapPost("/{repo}.git/info/lfs/objects/batch", BatchAsync);
        app.MapGet("/{repo}.git/info/lfs/objects/{oid}", DownloadAsync);
        app.MapPut("/{repo}.git/info/lfs/objects/{oid}", UploadAsync);
        app.MapPost("/{repo}.git/info/lfs/verify", VerifyAsync);
        // No locking: 404 makes git-lfs turn lock verification off quietly.
        app.MapPost("/{repo}.git/info/lfs/locks/verify", () => Results.NotFound());
    }

    private async Task BatchAsync(HttpContext context, string repo)
    {
        if (!IsAuthorized(context.Request))
        {
            context.Response.Headers["LFS-Authenticate"] = "Basic realm=\"test\"";
            await WriteJsonAsync(context, 401, new LfsErrorResponse("Credentials needed"), LfsJsonContext.Default.LfsErrorResponse);
            return;
        }
        if (NextBatchStatuses.TryDequeue(out var status))
        {
            if (status == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }
            await WriteJsonAsync(context, status, new LfsErrorResponse($"injected {status}"), LfsJsonContext.Default.LfsErrorResponse);
            return;
        }
        var request = await context.Request.ReadFromJsonAsync(LfsJsonContext.Default.BatchRequest);
        var objects = new List<BatchResponseObject>();
        foreach (var item in request?.Objects ?? [])
        {
            objects.Add(Answer(repo, request!.Operation, item));
        }
        await WriteJsonAsync(context, 200, new BatchResponse(objects), LfsJsonContext.Default.BatchResponse);
    }

    private BatchResponseObject Answer(string repo, string? operation, BatchRequestObject item)
    {
        var oid = item.Oid ?? string.Empty;
        if (!Oid.IsValid(oid) || item.Size < 0)
        {
            return new BatchResponseObject(oid, item.Size) { Error = new ObjectError(422, "invalid object") };
        }
        if (ObjectErrors.TryGetValue(oid, out var code))
        {
            return new BatchResponseObject(oid, item.Size) { Error = new ObjectError(code, ObjectErrorMessages.TryGetValue(oid, out var message) ? message : code == 410 ? "Object erased" : "Object does not exist") };
        }
        var href = new Uri(BaseUrl, $"{repo}.git/info/lfs/objects/{oid}").AbsoluteUri;
        var header = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TransferToken };
        if (operation == BatchOperations.Download)
        {
            return HasObject(repo, oid)
                ? new BatchResponseObject(oid, item.Size) { Authenticated = true, Actions = new BatchActions { Download = new BatchAction(href) { Header = header, ExpiresIn = 3600 } } }
                : new BatchResponseObject(oid, item.Size) { Error = new ObjectError(404, "Object does not exist") };
        }
        if (HasObject(repo, oid))
        {
            return new BatchResponseObject(oid, item.Size); // already there: no actions
        }
        return new BatchResponseObject(oid, item.Size)
        {
            Authenticated = true,
            Actions = new BatchActions
            {
                Upload = new BatchAction(href) { Header = header, ExpiresIn = 3600 },
                Verify = OfferVerify ? new BatchAction(new Uri(BaseUrl, $"{repo}.git/info/lfs/verify").AbsoluteUri) { Header = header } : null,
            },
        };
    }

    private async Task DownloadAsync(HttpContext context, string repo, string oid)
    {
        if (!HasTransferToken(context.Request) || !Oid.IsValid(oid) || !HasObject(repo, oid))
        {
            context.Response.StatusCode = HasTransferToken(context.Request) ? 404 : 401;
            return;
        }
        if (TakeInjectedStatus(oid) is { } injected)
        {
            context.Response.StatusCode = injected;
            if (injected == 429)
            {
                context.Response.Headers.RetryAfter = "1";
            }
            return;
        }
        await using var file = File.OpenRead(ObjectPath(repo, oid));
        var length = file.Length;
        long start = 0;
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            var parts = range["bytes=".Length..].Split('-');
            start = long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            if (start >= length)
            {
                context.Response.StatusCode = 416;
                context.Response.Headers.ContentRange = $"bytes */{length}";
                return;
            }
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {start}-{length - 1}/{length}";
        }
        context.Response.ContentType = LfsMediaTypes.OctetStream;
        context.Response.ContentLength = length - start;
        file.Position = start;
        var dropAfter = DropDownloadAfter.TryRemove(oid, out var limit) ? limit : long.MaxValue;
        var buffer = new byte[64 * 1024];
        long sent = 0;
        int read;
        while ((read = await file.ReadAsync(buffer)) > 0)
        {
            var count = (int)Math.Min(read, dropAfter - sent);
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, count));
            sent += count;
            if (sent >= dropAfter)
            {
                await context.Response.Body.FlushAsync();
                context.Abort(); // the connection dies mid-body, as with a crashed server
                return;
            }
        }
    }

    private async Task UploadAsync(HttpContext context, string repo, string oid)
    {
        if (!HasTransferToken(context.Request) || !Oid.IsValid(oid))
        {
            context.Response.StatusCode = 401;
            return;
        }
        if (TakeInjectedStatus(oid) is { } injected)
        {
            context.Response.StatusCode = injected;
            return;
        }
        Directory.CreateDirectory(Path.Combine(_storage, repo));
        var temp = Path.Combine(_storage, repo, oid + "." + Guid.NewGuid().ToString("N") + ".tmp");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var file = File.Create(temp))
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read));
            }
        }
        if (Convert.ToHexStringLower(hash.GetHashAndReset()) != oid)
        {
            File.Delete(temp);
            context.Response.StatusCode = 400;
            return;
        }
        File.Move(temp, ObjectPath(repo, oid), overwrite: true);
        context.Response.StatusCode = 200;
    }

    private async Task VerifyAsync(HttpContext context, string repo)
    {
        var body = await context.Request.ReadFromJsonAsync(LfsJsonContext.Default.VerifyRequest);
        var ok = HasTransferToken(context.Request) && body?.Oid is { } oid && Oid.IsValid(oid)
            && HasObject(repo, oid) && new FileInfo(ObjectPath(repo, oid)).Length == body.Size;
        context.Response.StatusCode = ok ? 200 : 404;
        context.Response.ContentType = LfsMediaTypes.Json;
        await context.Response.WriteAsync("{}");
    }

    private int? TakeInjectedStatus(string oid) =>
        NextTransferStatuses.TryGetValue(oid, out var queue) && queue.TryDequeue(out var status) ? status : null;

    private bool IsAuthorized(HttpRequest request)
    {
        if (RequiredCredential is not { } required)
        {
            return true;
        }
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Basic ", StringComparison.Ordinal)
            && Encoding.UTF8.GetString(Convert.FromBase64String(header[6..])) == $"{required.User}:{required.Password}";
    }

    private static bool HasTransferToken(HttpRequest request) => request.Headers.Authorization.ToString() == "Bearer " + TransferToken;

    private static async Task WriteJsonAsync<T>(HttpContext context, int status, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = LfsMediaTypes.Json;
        await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, body, type);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
