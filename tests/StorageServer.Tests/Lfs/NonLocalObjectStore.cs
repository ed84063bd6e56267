using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;
using StorageServer.Storage;
using Oid = StorageServer.Protocol.Oid;

namespace StorageServer.Tests.Lfs;

/// <summary>
/// The filesystem store without its <see cref="ILocalFileObjectStore"/> face, as an S3 store
/// would look to the download path; optionally failing every upload to exercise error handling.
/// </summary>
internal sealed class NonLocalObjectStore(FileSystemObjectStore inner, bool throwOnPut) : IObjectStore
{
    public static void Register(IServiceCollection services, bool throwOnPut) =>
        services.Replace(ServiceDescriptor.Singleton<IObjectStore>(sp =>
        {
            var server = sp.GetRequiredService<IOptions<StorageServerOptions>>().Value;
            return new NonLocalObjectStore(new FileSystemObjectStore(Path.Combine(server.FullDataDir, "objects"), server.NodeId), throwOnPut);
        }));

    public string Name => "non-local";

    public Task<ObjectInfo?> GetInfoAsync(Oid oid, CancellationToken cancellationToken) => inner.GetInfoAsync(oid, cancellationToken);

    public Task<Stream?> OpenReadAsync(Oid oid, long offset, CancellationToken cancellationToken) => inner.OpenReadAsync(oid, offset, cancellationToken);

    public Task<PutResult> PutAsync(Oid oid, long expectedSize, Stream content, CancellationToken cancellationToken) =>
        throwOnPut ? throw new InvalidOperationException("Simulated store failure") : inner.PutAsync(oid, expectedSize, content, cancellationToken);

    public Task<bool> DeleteAsync(Oid oid, CancellationToken cancellationToken) => inner.DeleteAsync(oid, cancellationToken);

    public IAsyncEnumerable<ObjectInfo> EnumerateAsync(CancellationToken cancellationToken) => inner.EnumerateAsync(cancellationToken);

    public Task CheckHealthAsync(CancellationToken cancellationToken) => inner.CheckHealthAsync(cancellationToken);
}
