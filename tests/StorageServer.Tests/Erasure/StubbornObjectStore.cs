using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Erasure;

/// <summary>The filesystem store, except that deletes report success and keep the bytes: a leftover the verification must catch.</summary>
internal sealed class StubbornObjectStore(FileSystemObjectStore inner) : IObjectStore
{
    public static void Register(IServiceCollection services) =>
        services.Replace(ServiceDescriptor.Singleton<IObjectStore>(sp =>
        {
            var server = sp.GetRequiredService<IOptions<StorageServerOptions>>().Value;
            return new StubbornObjectStore(new FileSystemObjectStore(Path.Combine(server.FullDataDir, "objects"), server.NodeId));
        }));

    public string Name => "stubborn";

    public Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken) => inner.GetInfoAsync(oid, cancellationToken);

    public Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(oid, offset, cancellationToken);

    public Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken) => inner.PutAsync(oid, expectedSize, content, cancellationToken);

    public Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken) => Task.FromResult(true);

    public IAsyncEnumerable<ObjectInfo> EnumerateAsync(CancellationToken cancellationToken) => inner.EnumerateAsync(cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
}
