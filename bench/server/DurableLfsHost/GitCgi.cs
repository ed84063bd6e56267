using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace DurableLfsHost;

/// <summary>
/// Git's smart HTTP as git documents it for any web server: <c>git http-backend</c> run as a CGI
/// program over the bare repositories under one folder, the request body streamed into its stdin and
/// its stdout streamed out as the response. Anonymous; pushes allowed (<c>http.receivepack</c>), no
/// hooks, git's own defaults otherwise (fsync of packs and refs included).
/// </summary>
internal static class GitCgi
{
    public static async Task ServeAsync(HttpContext context, string repositories)
    {
        var request = context.Request;
        var start = new ProcessStartInfo("git", ["-c", "http.receivepack=true", "http-backend"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var cgi = start.Environment;
        cgi["GIT_PROJECT_ROOT"] = repositories;
        cgi["GIT_HTTP_EXPORT_ALL"] = "1";
        cgi["GIT_CONFIG_NOSYSTEM"] = "1";
        cgi["PATH_INFO"] = request.Path.Value;
        cgi["REQUEST_METHOD"] = request.Method;
        cgi["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        cgi["CONTENT_TYPE"] = request.ContentType ?? "";
        cgi["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (request.ContentLength is { } length)
        {
            cgi["CONTENT_LENGTH"] = length.ToString();
        }
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            cgi["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            cgi["GIT_PROTOCOL"] = protocol;
        }

        using var backend = Process.Start(start)!;
        var input = CopyBodyAsync(request.Body, backend.StandardInput.BaseStream, context.RequestAborted);
        var output = PipeReader.Create(backend.StandardOutput.BaseStream);
        await WriteHeadAsync(output, context.Response, context.RequestAborted);
        await output.CopyToAsync(context.Response.Body, context.RequestAborted);
        await input;
        await backend.WaitForExitAsync(context.RequestAborted);
    }

    private static async Task CopyBodyAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        await using (stdin)
        {
            try
            {
                await body.CopyToAsync(stdin, cancellationToken);
            }
            catch (IOException) when (!cancellationToken.IsCancellationRequested)
            {
                // http-backend stopped reading: it answered an error, which its output carries.
            }
        }
    }

    /// <summary>The CGI head: <c>Name: value</c> lines up to an empty one; <c>Status: 404 …</c> is the code.</summary>
    private static async Task WriteHeadAsync(PipeReader output, HttpResponse response, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await output.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            while (buffer.PositionOf((byte)'\n') is { } end)
            {
                var line = Encoding.Latin1.GetString(buffer.Slice(0, end)).TrimEnd('\r');
                buffer = buffer.Slice(buffer.GetPosition(1, end));
                if (line.Length == 0)
                {
                    output.AdvanceTo(buffer.Start);
                    return;
                }
                var (name, value) = (line[..line.IndexOf(':')], line[(line.IndexOf(':') + 1)..].Trim());
                if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                {
                    response.StatusCode = int.Parse(value.Split(' ')[0]);
                }
                else
                {
                    response.Headers.Append(name, value);
                }
            }
            if (read.IsCompleted)
            {
                throw new InvalidDataException("git http-backend ended before the end of its CGI head.");
            }
            output.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
