using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.WebConsole;

/// <summary>What a DPO types into the erasure form stays in the POST body: not in a URL, a log line or a page.</summary>
public sealed class ConsoleErasureFormTests : IDisposable
{
    private const string Subject = "subject-7Q2XKV9";
    private const string Identifier = "zoe.kowalczyk-4471@example.org";
    private readonly CapturingLoggerProvider _logs = new();
    private readonly StorageServerFactory _server;

    public ConsoleErasureFormTests() => _server = new StorageServerFactory(configureServices: s => s.AddSingleton<ILoggerProvider>(_logs));

    [Fact]
    public async Task The_subject_and_identifiers_appear_in_no_url_page_or_log_line_whether_the_request_is_filed_or_refused()
    {
        using var client = new ConsoleClient(_server);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync(StorageServerFactory.AdminToken)).StatusCode);

        var csrf = await client.AntiforgeryTokenAsync("/console/erasure/new");
        using var refused = await client.Http.PostAsync("/console/erasure/new",
            ConsoleClient.Form(("__csrf", csrf), ("subject", Subject), ("identifiers", Identifier + "\nab"), ("legalBasis", "GDPR Art. 17(1)(b)")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusedPage = await refused.Content.ReadAsStringAsync();
        Assert.Contains("not kept", refusedPage, StringComparison.Ordinal);
        AssertAbsent(refusedPage);

        using var filed = await client.Http.PostAsync("/console/erasure/new",
            ConsoleClient.Form(("__csrf", csrf), ("subject", Subject), ("identifiers", Identifier), ("legalBasis", "GDPR Art. 17(1)(b)"), ("caseInsensitive", "true")));
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var location = filed.Headers.Location!.OriginalString;
        Assert.Matches("^/console/erasure/er_[0-9a-f]{24}$", location);
        var page = await client.Http.GetStringAsync(location);
        Assert.Contains("filed", page, StringComparison.Ordinal);
        AssertAbsent(page);
        AssertAbsent(await client.Http.GetStringAsync("/console/erasure"));
        AssertAbsent(await client.Http.GetStringAsync("/console/audit"));

        var logged = _logs.Entries.Select(e => e.Message + " " + string.Join(' ', e.State.Values)).ToList();
        Assert.NotEmpty(logged);
        Assert.DoesNotContain(logged, line => line.Contains(Subject, StringComparison.OrdinalIgnoreCase) || line.Contains(Identifier, StringComparison.OrdinalIgnoreCase));
    }

    private static void AssertAbsent(string text)
    {
        Assert.DoesNotContain(Subject, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Identifier, text, StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose() => _server.Dispose();
}
