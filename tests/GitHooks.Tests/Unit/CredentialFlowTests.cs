using System.Net;
using GitHooks.Api;
using GitHooks.Git;
using GitHooks.Tests.Support;

namespace GitHooks.Tests.Unit;

/// <summary>The 401 → git credential fill → retry → approve/reject flow of <see cref="LfsHttpClient"/>.</summary>
public sealed class CredentialFlowTests
{
    private static readonly Uri Url = new("http://lfs.test/repo.git/info/lfs/objects/batch");

    private static Func<HttpRequestMessage, HttpResponseMessage> RequireBasic(string parameter) => request =>
        request.Headers.Authorization?.Parameter == parameter ? new HttpResponseMessage(HttpStatusCode.OK) : new HttpResponseMessage(HttpStatusCode.Unauthorized);

    [Fact]
    public async Task First_request_goes_without_credentials_then_fills_retries_and_approves()
    {
        var good = new Credential("alice", "pw");
        var handler = new FakeHandler(RequireBasic(good.ToBasicParameter()));
        var credentials = new FakeCredentials(good);
        using var client = new LfsHttpClient(handler, credentials);

        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None);
        using var second = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(handler.Seen[0].Authorization);
        Assert.StartsWith("Basic ", handler.Seen[1].Authorization, StringComparison.Ordinal);
        Assert.Equal(3, handler.Seen.Count); // later requests send credentials up front
        Assert.Equal(["fill lfs.test", "approve alice"], credentials.Calls);
    }

    [Fact]
    public async Task Known_basic_endpoint_sends_credentials_first_and_remembers_after_a_challenge()
    {
        var good = new Credential("alice", "pw");
        var eager = new FakeHandler(RequireBasic(good.ToBasicParameter()));
        using (var client = new LfsHttpClient(eager, new FakeCredentials(good)) { SendCredentialsFirst = true })
        {
            using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Single(eager.Seen);
        Assert.NotNull(eager.Seen[0].Authorization);

        var remembered = 0;
        using var lazy = new LfsHttpClient(new FakeHandler(RequireBasic(good.ToBasicParameter())), new FakeCredentials(good))
        {
            OnBasicAuthWorked = _ =>
            {
                remembered++;
                return Task.CompletedTask;
            },
        };
        using (await lazy.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None))
        {
        }
        using (await lazy.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None))
        {
        }
        Assert.Equal(1, remembered);
    }

    [Fact]
    public async Task Rejected_credentials_are_reported_to_the_helper_and_fail_clearly()
    {
        var handler = new FakeHandler(RequireBasic("never"));
        var credentials = new FakeCredentials(new Credential("alice", "wrong"));
        using var client = new LfsHttpClient(handler, credentials);

        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            client.SendAsync(() => new HttpRequestMessage(HttpMethod.Post, Url), allowCredentials: true, CancellationToken.None));
        Assert.Contains("rejected the credentials", error.Message, StringComparison.Ordinal);
        Assert.Equal(["fill lfs.test", "reject alice"], credentials.Calls);
    }

    [Fact]
    public async Task No_credentials_available_is_a_clear_error()
    {
        using var client = new LfsHttpClient(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized)), new FakeCredentials());
        var error = await Assert.ThrowsAsync<AuthenticationFailedException>(() =>
            client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url), allowCredentials: true, CancellationToken.None));
        Assert.Contains("credential helper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Actions_with_their_own_authorization_never_get_our_credentials()
    {
        var handler = new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.Unauthorized));
        var credentials = new FakeCredentials(new Credential("alice", "pw"));
        using var client = new LfsHttpClient(handler, credentials);
        using var response = await client.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, Url), allowCredentials: false, CancellationToken.None);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(credentials.Calls);
    }

    [Fact]
    public async Task Git_credential_helper_speaks_the_credential_protocol()
    {
        using var sandbox = ClientSandbox.Create();
        sandbox.UseCredentials("bob", "token-1");
        var helper = new GitCredentialHelper(new GitRunner(sandbox.Root, sandbox.Environment));
        var credential = await helper.FillAsync(new Uri("http://127.0.0.1:9/r.git/info/lfs"), CancellationToken.None);
        Assert.Equal(new Credential("bob", "token-1"), credential);
        Assert.Equal("url=http://127.0.0.1:9/r.git/info/lfs\nusername=u\npassword=p\n\n",
            GitCredentialHelper.Describe(new Uri("http://127.0.0.1:9/r.git/info/lfs"), new Credential("u", "p")));
    }
}
