using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.WebConsole;

/// <summary>
/// A browser-like client of the in-process console: keeps cookies, does not follow redirects (the
/// tests look at them), and signs in or posts forms with the antiforgery token a page rendered.
/// </summary>
public sealed partial class ConsoleClient(StorageServerFactory server) : IDisposable
{
    public HttpClient Http { get; } = server.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in with <paramref name="token"/>; returns the sign-in response (302 when accepted).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string token)
    {
        var csrf = await AntiforgeryTokenAsync("/console/signin");
        return await Http.PostAsync("/console/signin", Form(("__csrf", csrf), ("token", token)));
    }

    /// <summary>The antiforgery field of the first form on <paramref name="page"/>.</summary>
    public async Task<string> AntiforgeryTokenAsync(string page)
    {
        using var response = await Http.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return AntiforgeryField().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery field on {page}");
    }

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
