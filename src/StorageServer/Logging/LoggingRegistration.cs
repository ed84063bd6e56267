using Microsoft.Extensions.Logging.Console;

namespace StorageServer.Logging;

public static class LoggingRegistration
{
    /// <summary>Outermost, so the line carries the status the client got, whatever answered it.</summary>
    public static IApplicationBuilder UseRequestLog(this IApplicationBuilder app) => app.UseMiddleware<RequestLogMiddleware>();

    /// <summary>
    /// The console formatter named by <c>Logging:Console:FormatterName</c> (simple by default, json when
    /// configured). The slim web host builder registers its console logger with the simple formatter
    /// set in code, after the configuration is bound, so without this the setting would be ignored.
    /// </summary>
    public static ILoggingBuilder UseConfiguredConsoleFormatter(this ILoggingBuilder logging)
    {
        logging.Services.AddOptions<ConsoleLoggerOptions>().PostConfigure<IConfiguration>((options, configuration) =>
            options.FormatterName = configuration["Logging:Console:FormatterName"] ?? options.FormatterName);
        return logging;
    }
}
