using System.Net;
using DurableLfsHost;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using StorageServer.Protocol;
using StorageServer.Protocol.Batch;

// Usage: DurableLfsHost <storage-dir> [<repositories-dir>]. Prints the base URL and serves until SIGTERM:
// LFS at {base}{name}.git/info/lfs, git's smart HTTP at {base}{name}.git for the bare repository
// <repositories-dir>/{name}.git (made beforehand with `git init --bare`; default <storage-dir>/repos).
// One object store for all repositories; no verify action (the PUT's 200 already means stored, hashed
// and fsynced), as a minimal server would answer.
var root = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "durable-lfs"));
var repositories = Path.GetFullPath(args.Length > 1 ? args[1] : Path.Combine(root, "repos"));
Directory.CreateDirectory(Path.Combine(root, ".tmp"));
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseKestrel(o =>
{
    o.Listen(IPAddress.Loopback, 0);
    o.Limits.MaxRequestBodySize = null;
});
var app = builder.Build();

app.MapPost("/{repo}.git/info/lfs/objects/batch", async (HttpContext context, string repo) =>
{
    var request = await context.Request.ReadFromJsonAsync(LfsJsonContext.Default.BatchRequest, context.RequestAborted);
    var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}/{repo}.git/info/lfs/objects/";
    var upload = request?.Operation == BatchOperations.Upload;
    var objects = new List<BatchResponseObject>();
    foreach (var item in request?.Objects ?? [])
    {
        var echo = new BatchResponseObject(item.Oid ?? string.Empty, item.Size);
        var stored = Oid.IsValid(item.Oid) && File.Exists(DurableFiles.PathOf(root, item.Oid));
        var action = new BatchAction(baseUrl + echo.Oid) { ExpiresIn = 3600 };
        objects.Add(!Oid.IsValid(item.Oid) ? echo with { Error = new ObjectError(422, "invalid oid") }
            : upload ? (stored ? echo : echo with { Actions = new BatchActions { Upload = action } })
            : stored ? echo with { Actions = new BatchActions { Download = action } }
            : echo with { Error = new ObjectError(404, "Object does not exist") });
    }
    context.Response.ContentType = LfsMediaTypes.Json;
    await System.Text.Json.JsonSerializer.SerializeAsync(context.Response.Body, new BatchResponse(objects), LfsJsonContext.Default.BatchResponse, context.RequestAborted);
});

app.MapPut("/{repo}.git/info/lfs/objects/{oid}", async (HttpContext context, string oid) =>
    !Oid.IsValid(oid) || context.Request.ContentLength is not { } size ? Results.BadRequest()
    : await DurableFiles.PutAsync(root, oid, size, context.Request.Body, context.RequestAborted) ? Results.Ok() : Results.BadRequest());

app.MapGet("/{repo}.git/info/lfs/objects/{oid}", (string oid) =>
    Oid.IsValid(oid) && File.Exists(DurableFiles.PathOf(root, oid))
        ? Results.File(DurableFiles.PathOf(root, oid), LfsMediaTypes.OctetStream, enableRangeProcessing: true)
        : Results.NotFound());

app.MapGet("/{repo}.git/info/refs", (HttpContext context) => GitCgi.ServeAsync(context, repositories));
app.MapPost("/{repo}.git/git-upload-pack", (HttpContext context) => GitCgi.ServeAsync(context, repositories));
app.MapPost("/{repo}.git/git-receive-pack", (HttpContext context) => GitCgi.ServeAsync(context, repositories));

// No locking: 404 makes git-lfs turn lock verification off.
app.MapPost("/{repo}.git/info/lfs/locks/verify", () => Results.NotFound());

await app.StartAsync();
Console.WriteLine(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
await app.WaitForShutdownAsync();
