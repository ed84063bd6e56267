using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using StorageServer.Auth;
using StorageServer.RequestLimits;

namespace StorageServer.Git;

/// <summary>
/// Git's smart HTTP protocol under <c>/{owner}/{repo}(.git)</c>, served by <c>git http-backend</c>
/// run as a CGI program: the request body streams into its stdin while its stdout streams into
/// the response, so no pack is ever held in memory. Only the smart endpoints exist; the dumb
/// protocol's paths answer 404.
/// </summary>
public static class GitSmartHttp
{
    private const string UploadPack = "git-upload-pack";
    private const string ReceivePack = "git-receive-pack";

    public static void MapGitSmartHttp(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/{owner}/{repo}").ExcludeFromDescription().WithRequestBody(RequestBodyKind.Streamed);
        group.MapGet("/info/refs", InfoRefsAsync);
        group.MapPost("/" + UploadPack, (HttpContext context, GitHttpBackend backend) => backend.ServeAsync(context, UploadPack, "/" + UploadPack));
        group.MapPost("/" + ReceivePack, (HttpContext context, GitHttpBackend backend) => backend.ServeAsync(context, ReceivePack, "/" + ReceivePack));
    }

    private static Task InfoRefsAsync(HttpContext context, GitHttpBackend backend)
    {
        var service = context.Request.Query["service"].ToString();
        if (service is not (UploadPack or ReceivePack))
        {
            // The dumb protocol (no ?service=) is not served.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return context.Response.WriteAsync("Only git's smart HTTP protocol is supported; please use git 1.6.6 or later.\n", context.RequestAborted);
        }
        return backend.ServeAsync(context, service, "/info/refs");
    }

    internal static AccessLevel RequiredLevel(string service) => service == ReceivePack ? AccessLevel.Write : AccessLevel.Read;
}

/// <summary>Runs one <c>git http-backend</c> request.</summary>
public sealed class GitHttpBackend(
    GitProcess git, GitRepositoryLayout layout, GitHooks hooks, RepoAccess access, DiskSpace.DiskSpaceGuard disk, ILogger<GitHttpBackend> logger)
{
    public async Task ServeAsync(HttpContext context, string service, string pathSuffix)
    {
        var cancellationToken = context.RequestAborted;
        var name = Repos.RepoNames.FromRoute(context.GetRouteValue("owner") as string, context.GetRouteValue("repo") as string);
        var result = await access.AuthorizeAsync(context, name, GitSmartHttp.RequiredLevel(service), cancellationToken);
        if (result.Denial is { } denial)
        {
            await DenyAsync(context, denial);
            return;
        }
        var repository = result.Repository!;
        var gitDir = layout.PathOf(repository.Name);
        if (!Directory.Exists(gitDir))
        {
            logger.LogError("Repository {Repository} has no git directory at {Path}", repository.Name, gitDir);
            await DenyAsync(context, AccessDenial.NotFound);
            return;
        }
        if (service == "git-receive-pack" && !disk.HasRoomIn(gitDir))
        {
            // Refused at the push's first request (info/refs), whose text git shows as "remote:" lines.
            context.Response.StatusCode = StatusCodes.Status507InsufficientStorage;
            context.Response.Headers.RetryAfter = disk.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("StorageServer: the server's disk is full, so pushes are refused for now; clones and fetches still work. Retry later.\n", cancellationToken);
            return;
        }
        var hookUrl = HookUrl(context);
        if (service == "git-receive-pack" && hookUrl is null)
        {
            // Without a way back to this process the push checks could not run: refuse rather than skip them.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Pushes need a TCP listener the server can reach itself on.\n", cancellationToken);
            return;
        }

        // The push (or fetch, or the ref advertisement before either) as one span under the request's.
        using var activity = Observability.StorageTelemetry.Source.StartActivity(
            pathSuffix.EndsWith("/info/refs", StringComparison.Ordinal) ? "git refs" : service == "git-receive-pack" ? "git push" : "git fetch");
        activity?.SetTag("storageserver.git_service", service);
        var request = context.Request;
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserName() : null;
        var environment = new Dictionary<string, string>
        {
            ["GIT_PROJECT_ROOT"] = layout.Root,
            ["GIT_HTTP_EXPORT_ALL"] = "1",
            ["PATH_INFO"] = $"/{repository.Name}.git{pathSuffix}",
            ["REQUEST_METHOD"] = request.Method,
            ["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty,
            ["CONTENT_TYPE"] = request.ContentType ?? string.Empty,
            ["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
            [GitHooks.RepositoryVariable] = repository.Name,
        };
        if (request.ContentLength is { } length)
        {
            environment["CONTENT_LENGTH"] = length.ToString(CultureInfo.InvariantCulture);
        }
        if (user is not null)
        {
            environment["REMOTE_USER"] = user;
        }
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            environment["GIT_PROTOCOL"] = protocol;
        }
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            environment["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (hookUrl is not null)
        {
            environment[GitHooks.UrlVariable] = hookUrl;
            environment[GitHooks.SecretVariable] = hooks.Secret;
        }

        // Access is decided above, so http-backend may serve both services; hooks and object checks
        // come from the server whatever the repository's own config says.
        string[] arguments = ["-c", "http.uploadpack=true", "-c", "http.receivepack=true", "-c", "core.hooksPath=" + hooks.Directory, .. GitObjectChecks.CommandLine, "http-backend"];
        using var process = git.Start(null, arguments, redirectInput: true, environment);
        await using var kill = cancellationToken.Register(() => Kill(process));
        var stderr = LogErrorsAsync(process, repository.Name, service);
        var stdin = CopyBodyAsync(request.Body, process.StandardInput.BaseStream, cancellationToken);
        try
        {
            await RelayOutputAsync(context, process.StandardOutput.BaseStream, cancellationToken);
            await stdin;
            await process.WaitForExitAsync(cancellationToken);
            await stderr;
            if (process.ExitCode != 0)
            {
                logger.LogWarning("git http-backend exited {ExitCode} for {Service} on {Repository}", process.ExitCode, service, repository.Name);
                activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, $"git http-backend exited {process.ExitCode}");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException && cancellationToken.IsCancellationRequested)
        {
            Kill(process);
            logger.LogInformation("Client went away during {Service} on {Repository}; git http-backend stopped", service, repository.Name);
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Parses the CGI head into status and headers, then copies the body through.</summary>
    private async Task RelayOutputAsync(HttpContext context, Stream output, CancellationToken cancellationToken)
    {
        var (head, body) = await CgiResponseHead.ReadAsync(output, cancellationToken);
        var response = context.Response;
        if (head is null)
        {
            logger.LogError("git http-backend wrote no CGI header");
            response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        response.StatusCode = head.StatusCode;
        foreach (var (name, value) in head.Headers)
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers.Append(name, value);
            }
        }
        // Progress of long fetches must reach the client as it is produced.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (!body.IsEmpty)
        {
            await response.Body.WriteAsync(body, cancellationToken);
        }
        await output.CopyToAsync(response.Body, cancellationToken);
    }

    private static async Task CopyBodyAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            // http-backend stopped reading (it answered an error); its output says why.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task LogErrorsAsync(Process process, string repository, string service)
    {
        while (await process.StandardError.ReadLineAsync() is { } line)
        {
            logger.LogWarning("git http-backend ({Service} {Repository}): {Line}", service, repository, line);
        }
    }

    private static async Task DenyAsync(HttpContext context, AccessDenial denial)
    {
        var response = context.Response;
        switch (denial)
        {
            case AccessDenial.Unauthenticated:
                response.StatusCode = StatusCodes.Status401Unauthorized;
                response.Headers.WWWAuthenticate = "Basic realm=\"StorageServer\"";
                await response.WriteAsync("Authentication required.\n", context.RequestAborted);
                break;
            case AccessDenial.Forbidden:
                response.StatusCode = StatusCodes.Status403Forbidden;
                await response.WriteAsync("Your token may not push to this repository.\n", context.RequestAborted);
                break;
            default:
                response.StatusCode = StatusCodes.Status404NotFound;
                await response.WriteAsync("Repository not found.\n", context.RequestAborted);
                break;
        }
    }

    /// <summary>
    /// Where the hooks reach this very process: the local end of the connection this request
    /// came in on (a loopback request gives a loopback URL).
    /// </summary>
    private static string? HookUrl(HttpContext context)
    {
        var address = context.Connection.LocalIpAddress;
        if (address is null || context.Connection.LocalPort == 0)
        {
            return null;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var host = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
        return $"{context.Request.Scheme}://{host}:{context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture)}/internal/hooks";
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
        }
    }
}
