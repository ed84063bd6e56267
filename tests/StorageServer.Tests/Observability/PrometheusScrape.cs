using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace StorageServer.Tests.Observability;

/// <summary>Reads <c>/metrics</c> into <c>series → value</c>, series written as in the text format (<c>name{a="x"}</c>).</summary>
internal static class PrometheusScrape
{
    public const string ScrapeToken = "scrape-token-0123456789abcdef";

    public static async Task<Dictionary<string, double>> ReadAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ScrapeToken);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return Parse(await response.Content.ReadAsStringAsync());
    }

    public static Dictionary<string, double> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(line => !line.StartsWith('#'))
            .Select(line => (Series: line[..line.LastIndexOf(' ')], Value: double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
            .ToDictionary(p => p.Series, p => p.Value);

    public static double Value(this Dictionary<string, double> scrape, string series) => scrape.GetValueOrDefault(series);
}
