using System.Collections.Concurrent;
using System.Reflection;
using Amazon.Runtime;
using Amazon.S3;

namespace StorageServer.Tests.Storage.S3;

/// <summary>
/// An <see cref="IAmazonS3"/> answering only the requests a test registered a handler for, for the
/// S3 features s3rver lacks (versioning, listing multipart uploads). Anything else throws.
/// </summary>
public class FakeS3Client : DispatchProxy
{
    private readonly Dictionary<Type, Func<AmazonWebServiceRequest, AmazonWebServiceResponse>> _handlers = [];

    public ConcurrentQueue<AmazonWebServiceRequest> Requests { get; } = new();

    public static (IAmazonS3 Client, FakeS3Client Fake) Create()
    {
        var proxy = Create<IAmazonS3, FakeS3Client>();
        return (proxy, (FakeS3Client)(object)proxy);
    }

    public FakeS3Client On<TRequest, TResponse>(Func<TRequest, TResponse> handler)
        where TRequest : AmazonWebServiceRequest
        where TResponse : AmazonWebServiceResponse
    {
        _handlers[typeof(TRequest)] = request => handler((TRequest)request);
        return this;
    }

    public IReadOnlyList<T> Sent<T>() => Requests.OfType<T>().ToList();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var method = targetMethod!;
        if (args is not { Length: > 0 } || args[0] is not AmazonWebServiceRequest request
            || !method.ReturnType.IsGenericType || !_handlers.TryGetValue(request.GetType(), out var handler))
        {
            throw new NotSupportedException($"FakeS3Client: no handler for {method.Name}");
        }
        Requests.Enqueue(request);
        var response = handler(request);
        return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(method.ReturnType.GetGenericArguments()[0]).Invoke(null, [response]);
    }
}
