using System.Diagnostics;
using StorageServer.Auth;
using StorageServer.Dvc.Objects;
using StorageServer.Lfs;
using StorageServer.Objects;
using StorageServer.Repos;
using StorageServer.RequestLimits;
using StorageServer.Storage;

namespace StorageServer.Dvc.Remote;

/// <summary>
/// A repository's DVC HTTP remote, <c>http://HOST/owner/name.git/info/dvc</c> (next to
/// <c>info/lfs</c>): objects at <c>files/md5/xx/&lt;30 hex&gt;[.dir]</c> (DVC 3) and
/// <c>xx/&lt;30 hex&gt;[.dir]</c> (DVC 2 entries). GET and HEAD read (GET is also DVC's existence
/// check), POST and PUT write, with the same scopes as git and Git LFS. Credentials are checked
/// before any body byte is read. Anything else under the remote (DVC's probe of
/// <c>files/md5</c> or <c>/</c> included) answers 404 once the caller may read.
/// </summary>
public static class DvcRemoteEndpoints
{
    public const string Base = "/{owner}/{repo}/info/dvc";

    public static IEndpointRouteBuilder MapDvcRemote(this IEndpointRouteBuilder routes)
    {
        // Object bodies stream through the upload path, which enforces the object size limits itself.
        var group = routes.MapGroup(Base).ExcludeFromDescription().WithRequestBody(RequestBodyKind.Streamed);
        group.AddEndpointFilter<DvcEndpointFilter>();
        group.Map("/files/md5/{prefix}/{name}", (string prefix, string name, HttpContext context) => ObjectAsync(context, prefix, name, legacy: false));
        group.Map("/{prefix}/{name}", (string prefix, string name, HttpContext context) => ObjectAsync(context, prefix, name, legacy: true));
        group.Map("/{**rest}", (Func<HttpContext, Task<IResult>>)(context => ObjectAsync(context, null, null, legacy: false)));
        return routes;
    }

    private static async Task<IResult> ObjectAsync(HttpContext context, string? prefix, string? name, bool legacy)
    {
        var method = context.Request.Method;
        var upload = HttpMethods.IsPost(method) || HttpMethods.IsPut(method);
        if (!upload && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            context.Response.Headers.Allow = "GET, HEAD, POST, PUT";
            return DvcResults.Error(StatusCodes.Status405MethodNotAllowed, "A DVC remote answers GET, HEAD, POST and PUT.");
        }
        var services = context.RequestServices;
        var cancellationToken = context.RequestAborted;
        var repositoryName = RepoNames.FromRoute(context.GetRouteValue("owner") as string, context.GetRouteValue("repo") as string);
        var access = await services.GetRequiredService<RepoAccess>()
            .AuthorizeAsync(context, repositoryName, upload ? AccessLevel.Write : AccessLevel.Read, cancellationToken);
        if (access.Denial is { } denial)
        {
            return DvcResults.Denied(denial);
        }
        if (!DvcHash.TryParseRemotePath(prefix, name, legacy, out var hash))
        {
            return upload
                ? DvcResults.Error(StatusCodes.Status404NotFound, "Not an object path: expected files/md5/xx/<30 hex digits>[.dir] or xx/<30 hex digits>[.dir].")
                : DvcResults.NotFound();
        }
        return upload
            ? await UploadAsync(context, access.Repository!, hash)
            : await DownloadAsync(context, access.Repository!, hash);
    }

    private static async Task<IResult> DownloadAsync(HttpContext context, Data.Entities.Repository repository, DvcHash hash)
    {
        var services = context.RequestServices;
        var status = await services.GetRequiredService<DvcObjectLookup>().FindAsync(repository.Id, hash, context.RequestAborted);
        switch (status.State)
        {
            case ClaimState.Gone:
                return DvcResults.Error(StatusCodes.Status410Gone, LfsResults.RemovedMessage);
            case ClaimState.Erased:
                return DvcResults.Error(StatusCodes.Status410Gone, DvcResults.ErasedMessage);
            case not ClaimState.Live:
                return DvcResults.NotFound();
        }
        if (status.MissingEntries > 0)
        {
            // DVC trusts a .dir it can read and skips its entries: never show one that is incomplete.
            return DvcResults.Error(StatusCodes.Status404NotFound, $"Directory manifest unavailable: {status.MissingEntries} of its files are not on the server.");
        }
        var store = services.GetRequiredService<IObjectStore>();
        var oid = Protocol.Oid.Parse(status.Oid!);
        if (ObjectBytes.Serve(store, oid, status.Size) is { } bytes)
        {
            return bytes;
        }
        DvcLog.ObjectMissingFromStore(services.GetRequiredService<ILogger<DvcUploadService>>(), hash.ToString(), repository.Name, oid.Value, store.Name);
        return DvcResults.NotFound();
    }

    private static async Task<IResult> UploadAsync(HttpContext context, Data.Entities.Repository repository, DvcHash hash)
    {
        var services = context.RequestServices;
        var logger = services.GetRequiredService<ILogger<DvcUploadService>>();
        var options = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DvcOptions>>().Value;
        var user = context.User.UserName();
        var limit = hash.IsManifest ? options.MaxManifestSize : options.MaxObjectSize;
        if (context.Request.ContentLength > limit)
        {
            DvcLog.UploadRefused(logger, hash.ToString(), repository.Name, user, DvcUploadOutcome.TooLarge.ToString(), $"Content-Length {context.Request.ContentLength}");
            return DvcResults.Error(StatusCodes.Status413PayloadTooLarge, $"Object is larger than this server's limit of {limit} bytes.");
        }
        var started = Stopwatch.GetTimestamp();
        var result = await services.GetRequiredService<DvcUploadService>().UploadAsync(repository, hash, context.Request.Body, user, context.RequestAborted);
        if (result.Succeeded)
        {
            DvcLog.UploadFinished(logger, hash.ToString(), result.Size, result.Oid!, repository.Name, user, result.Outcome.ToString(), (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        else
        {
            DvcLog.UploadRefused(logger, hash.ToString(), repository.Name, user, result.Outcome.ToString(), result.Reason ?? "-");
        }
        return result.Outcome switch
        {
            DvcUploadOutcome.Stored => DvcResults.Stored(created: true),
            DvcUploadOutcome.AlreadyStored => DvcResults.Stored(created: false),
            DvcUploadOutcome.TooLarge => DvcResults.Error(StatusCodes.Status413PayloadTooLarge, $"Object is larger than this server's limit of {limit} bytes. Nothing was stored."),
            DvcUploadOutcome.HashMismatch => DvcResults.Error(StatusCodes.Status400BadRequest, $"MD5 mismatch: {result.Reason}, not {hash.Md5}. Nothing was stored."),
            DvcUploadOutcome.BadManifest => DvcResults.Error(StatusCodes.Status400BadRequest, $"{result.Reason} Nothing was stored."),
            DvcUploadOutcome.IncompleteManifest => DvcResults.Error(StatusCodes.Status409Conflict, $"{result.Reason} Nothing was stored."),
            DvcUploadOutcome.Erased => DvcResults.Error(StatusCodes.Status410Gone, DvcResults.ErasedUploadMessage),
            _ => Busy(context),
        };
    }

    private static IResult Busy(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "5";
        return DvcResults.Error(StatusCodes.Status503ServiceUnavailable, "This object is being reclaimed by a retention sweep right now; push again in a few seconds.");
    }
}
