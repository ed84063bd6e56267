namespace StorageServer.Draining;

/// <summary>
/// While draining, every HTTP/1.1 response says <c>Connection: close</c>, decided when its
/// headers go out, so requests that started before the drain close their connection too.
/// </summary>
internal sealed class DrainMiddleware(RequestDelegate next, DrainState state)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Protocol == "HTTP/1.1")
        {
            context.Response.OnStarting(static argument =>
            {
                var (response, drain) = ((HttpResponse, DrainState))argument;
                if (drain.IsDraining)
                {
                    response.Headers.Connection = "close";
                }
                return Task.CompletedTask;
            }, (context.Response, state));
        }
        return next(context);
    }
}
