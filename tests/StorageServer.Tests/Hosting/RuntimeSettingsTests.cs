using System.Text.Json;

namespace StorageServer.Tests.Hosting;

/// <summary>
/// The runtime settings the server ships with, read from the runtimeconfig.json its build writes
/// (copied next to this assembly, as it is next to the published server): settings that exist only
/// there are lost silently when the project file changes.
/// </summary>
public sealed class RuntimeSettingsTests
{
    [Fact]
    public void Idle_thread_pool_workers_sleep_without_spinning()
    {
        var properties = ServerConfigProperties();
        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit),
            "StorageServer.runtimeconfig.json sets no thread-pool spin limit");
        Assert.Equal(0, limit.ValueKind == JsonValueKind.String ? int.Parse(limit.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : limit.GetInt32());
    }

    private static JsonElement ServerConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "StorageServer.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
