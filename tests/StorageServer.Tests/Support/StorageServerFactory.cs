using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace StorageServer.Tests.Support;

/// <summary>
/// The real server in-process, over a real SQLite file and a real filesystem store in a fresh
/// temporary directory per instance. The clock is a <see cref="FakeTimeProvider"/> tests can move.
/// </summary>
public sealed class StorageServerFactory : WebApplicationFactory<Program>
{
    public const string AdminToken = "test-admin-token-0123456789abcdef";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _configureServices;

    public StorageServerFactory(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        DataDir = Directory.CreateTempSubdirectory("storageserver-test-").FullName;
        _settings = new Dictionary<string, string?>
        {
            ["StorageServer:DataDir"] = DataDir,
            ["Auth:AdminToken"] = AdminToken,
            // Disposing the factory stops the host: the production drain (5 s of readiness 503 for a
            // load balancer to notice) would add 5 s to every test. Tests of draining set their own.
            ["StorageServer:DrainDelay"] = "00:00:00",
            // FakeTimeProvider.Advance fires a periodic timer once per elapsed period: with the default
            // 10-minute cleanup of partial uploads, a test moving the clock by years ran it ~700,000 times.
            ["Lfs:ResumableUploads:CleanupInterval"] = "1.00:00:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
        if (!_settings.ContainsKey("Database:Provider") && !_settings.ContainsKey("Database:ConnectionString")
            && _settings["StorageServer:DataDir"] == DataDir)
        {
            MigratedSqliteTemplate.CopyTo(DataDir);
        }
    }

    public string DataDir { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock));
            _configureServices?.Invoke(services);
        });
    }

    public HttpClient CreateAdminClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        return client;
    }

    /// <summary>A client sending <paramref name="token"/> the way git-lfs 3.3 does: HTTP Basic.</summary>
    public HttpClient CreateBasicClient(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"user:{token}")));
        return client;
    }

    public async Task CreateRepoAsync(string name, bool allowAnonymousRead = false)
    {
        using var admin = CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/repos", new { name, allowAnonymousRead });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    public async Task<string> CreateTokenAsync(string user, IDictionary<string, string> scopes, DateTimeOffset? expiresAt = null)
    {
        using var admin = CreateAdminClient();
        using var response = await admin.PostAsJsonAsync("/api/tokens", new { user, scopes, expiresAt });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("token").GetString()!;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a finishing request; the OS temp cleaner takes it.
            }
        }
    }
}
