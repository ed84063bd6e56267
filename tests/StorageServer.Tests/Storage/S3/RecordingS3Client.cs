using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;

namespace StorageServer.Tests.Storage.S3;

/// <summary>
/// Wraps a real <see cref="IAmazonS3"/> and records every request object sent through it, so a test
/// can check which S3 calls the store made (e.g. that each multipart upload was aborted).
/// </summary>
public class RecordingS3Client : DispatchProxy
{
    private IAmazonS3 _inner = null!;

    public ConcurrentQueue<object> Requests { get; } = new();

    public static (IAmazonS3 Client, RecordingS3Client Recorder) Wrap(IAmazonS3 inner)
    {
        var proxy = Create<IAmazonS3, RecordingS3Client>();
        var recorder = (RecordingS3Client)(object)proxy;
        recorder._inner = inner;
        return (proxy, recorder);
    }

    public IReadOnlyList<T> Sent<T>() => Requests.OfType<T>().ToList();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        if (args is { Length: > 0 } && args[0] is Amazon.Runtime.AmazonWebServiceRequest request)
        {
            Requests.Enqueue(request);
        }
        try
        {
            return targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
