namespace StorageServer.Logging;

public static class LoggingRegistration
{
    /// <summary>Outermost, so the line carries the status the client got, whatever answered it.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();
}
