using GitHooks.Api;

namespace GitHooks.Tests.Support;

/// <summary>An HTTP handler that answers from a function and records what it was sent.</summary>
public sealed class FakeHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
{
    public List<(string Method, string Url, string? Authorization)> Seen { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Seen.Add((request.Method.Method, request.RequestUri!.AbsoluteUri, request.Headers.Authorization?.ToString()));
        return Task.FromResult(answer(request));
    }
}

/// <summary>A credential helper that hands out fixed answers and records approve/reject.</summary>
public sealed class FakeCredentials(params Credential?[] answers) : ICredentialHelper
{
    private int _next;

    public List<string> Calls { get; } = [];

    public Task<Credential?> FillAsync(Uri url, CancellationToken cancellationToken)
    {
        Calls.Add("fill " + url.Host);
        return Task.FromResult(_next < answers.Length ? answers[_next++] : null);
    }

    public Task ApproveAsync(Uri url, Credential credential, CancellationToken cancellationToken)
    {
        Calls.Add("approve " + credential.Username);
        return Task.CompletedTask;
    }

    public Task RejectAsync(Uri url, Credential credential, CancellationToken cancellationToken)
    {
        Calls.Add("reject " + credential.Username);
        return Task.CompletedTask;
    }
}
