using System.Net;
using System.Text.Json;
using StorageServer.Tests.Support;

namespace StorageServer.Tests.Observability;

/// <summary>The probes in-process; DependencyRestartTests (end-to-end) take the database and store away for real.</summary>
public sealed class HealthProbeTests : IAsyncLifetime
{
    private readonly StorageServerFactory _factory = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Theory]
    [InlineData("/healthz/ready")]
    [InlineData("/healthz")]
    public async Task Ready_checks_database_migrations_store_disk_and_drain(string path)
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(["database", "disk-space", "draining", "migrations", "object-store"], body.GetProperty("checks").EnumerateObject().Select(p => p.Name).Order());
    }

    [Fact]
    public async Task Live_runs_no_dependency_check()
    {
        using var client = _factory.CreateClient();
        using var response = await client.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").EnumerateObject());
    }

    [Fact]
    public async Task Ready_fails_naming_the_store_when_its_directory_is_gone()
    {
        using var client = _factory.CreateClient();
        using (var first = await client.GetAsync("/healthz/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        var objects = Path.Combine(_factory.DataDir, "objects");
        Directory.Delete(objects, recursive: true);
        await File.WriteAllTextAsync(objects, "not a directory");

        using var response = await client.GetAsync("/healthz/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var checks = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("checks");
        Assert.StartsWith("Unhealthy", checks.GetProperty("object-store").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", checks.GetProperty("database").GetString());
        using var live = await client.GetAsync("/healthz/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
