using System.Net;
using System.Net.Http.Headers;
using System.Reflection;

namespace GitHooks.Api;

/// <summary>
/// HttpClient plus git-lfs's authentication dance: the first request goes without credentials;
/// a 401 fetches them from <c>git credential fill</c> and repeats the request once; a success
/// with them runs <c>approve</c>, a 401 with them runs <c>reject</c> and fails clearly.
/// Requests are built by a factory because a request message cannot be sent twice.
/// </summary>
public sealed class LfsHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly ICredentialHelper _credentials;
    private readonly SemaphoreSlim _fillLock = new(1, 1);
    private Credential? _credential;
    private bool _approved;

    public LfsHttpClient(HttpMessageHandler handler, ICredentialHelper credentials)
    {
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var version = typeof(LfsHttpClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("git-storage", version.Split('+')[0]));
        _credentials = credentials;
    }

    /// <summary>True once a credential has been obtained (for <c>env</c> and tests).</summary>
    public bool HasCredential => _credential is not null;

    /// <summary>
    /// Send credentials from the first request on: the endpoint is known to need them
    /// (<c>lfs.&lt;url&gt;.access = basic</c>, written by us or by git-lfs after a 401).
    /// </summary>
    public bool SendCredentialsFirst { get; init; }

    /// <summary>Called once when a 401 was answered with credentials that worked, to remember it.</summary>
    public Func<CancellationToken, Task>? OnBasicAuthWorked { get; init; }

    /// <summary>
    /// Sends a request. With <paramref name="allowCredentials"/> false (an action that carries its
    /// own Authorization header) no credential is attached or asked for.
    /// </summary>
    public async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> createRequest, bool allowCredentials, CancellationToken cancellationToken)
    {
        var challenged = false;
        for (var attempt = 0; ; attempt++)
        {
            using var request = createRequest();
            if (attempt == 0 && allowCredentials && SendCredentialsFirst && _credential is null && request.Headers.Authorization is null)
            {
                await ObtainCredentialAsync(request.RequestUri!, cancellationToken);
            }
            var sent = allowCredentials ? _credential : null;
            if (sent is not null && request.Headers.Authorization is null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", sent.ToBasicParameter());
            }
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.Unauthorized || !allowCredentials || attempt > 0 && sent is null)
            {
                if (response.IsSuccessStatusCode && sent is not null && !_approved)
                {
                    _approved = true;
                    await _credentials.ApproveAsync(request.RequestUri!, sent, cancellationToken);
                    if (challenged && OnBasicAuthWorked is not null)
                    {
                        await OnBasicAuthWorked(cancellationToken);
                    }
                }
                if (response.StatusCode == HttpStatusCode.Unauthorized && sent is not null)
                {
                    await RejectAsync(request.RequestUri!, sent, cancellationToken);
                }
                return response;
            }
            response.Dispose();
            if (sent is not null)
            {
                await RejectAsync(request.RequestUri!, sent, cancellationToken);
                throw new AuthenticationFailedException(request.RequestUri!, rejected: true);
            }
            challenged = true;
            await ObtainCredentialAsync(request.RequestUri!, cancellationToken);
        }
    }

    private async Task ObtainCredentialAsync(Uri url, CancellationToken cancellationToken)
    {
        // Parallel workers may all hit a 401 at once; only one of them asks the user.
        await _fillLock.WaitAsync(cancellationToken);
        try
        {
            _credential ??= await _credentials.FillAsync(url, cancellationToken) ?? throw new AuthenticationFailedException(url, rejected: false);
        }
        finally
        {
            _fillLock.Release();
        }
    }

    private async Task RejectAsync(Uri url, Credential credential, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(Interlocked.CompareExchange(ref _credential, null, credential), credential))
        {
            await _credentials.RejectAsync(url, credential, cancellationToken);
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _fillLock.Dispose();
    }
}

public sealed class AuthenticationFailedException(Uri url, bool rejected) : LocalStorage.UserException(rejected
    ? $"Authentication failed for {url.GetLeftPart(UriPartial.Authority)}: the server rejected the credentials (401). Check the user name and token your credential helper returns."
    : $"Authentication required by {url.GetLeftPart(UriPartial.Authority)} (401) but no credentials were found. Configure a git credential helper or store a token with 'git credential approve'.");
