// Single-stream upload of one file to an S3-compatible server: S3ObjectStore.PutAsync (streaming,
// hashing, verified, temp key + server-side copy) against the SDK's TransferUtility.UploadAsync
// (parallel parts, no verification). Usage: S3Bench <service-url> <bucket> <file> [runs]
using System.Diagnostics;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Microsoft.Extensions.Logging.Abstractions;
using StorageServer.Storage.S3;
using Oid = StorageServer.Protocol.Oid;

var options = new S3StoreOptions
{
    ServiceUrl = new Uri(args[0]),
    Bucket = args[1],
    AccessKey = "S3RVER",
    SecretKey = "S3RVER",
    Prefix = "bench/",
};
var file = args[2];
var runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 2;
var size = new FileInfo(file).Length;

using var client = S3ClientFactory.Create(options);
Oid oid;
await using (var stream = File.OpenRead(file))
{
    oid = Oid.FromHash(await SHA256.HashDataAsync(stream));
}
var store = new S3ObjectStore(client, options, "bench", TimeProvider.System, NullLogger<S3ObjectStore>.Instance);
using var transfer = new TransferUtility(client);

var storeTimes = new List<double>();
var sdkTimes = new List<double>();
for (var run = 1; run <= runs; run++)
{
    await store.DeleteAsync(oid, CancellationToken.None);
    var clock = Stopwatch.StartNew();
    await using (var body = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous))
    {
        var result = await store.PutAsync(oid, size, body, CancellationToken.None);
        if (result.Status != StorageServer.Storage.PutStatus.Stored)
        {
            throw new InvalidOperationException($"store upload: {result}");
        }
    }
    storeTimes.Add(clock.Elapsed.TotalSeconds);

    const string sdkKey = "bench/transfer-utility";
    clock.Restart();
    await transfer.UploadAsync(new TransferUtilityUploadRequest { BucketName = options.Bucket, Key = sdkKey, FilePath = file, DisablePayloadSigning = false });
    sdkTimes.Add(clock.Elapsed.TotalSeconds);
    var stored = (await client.GetObjectMetadataAsync(options.Bucket, sdkKey)).ContentLength;
    await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = sdkKey });

    // The share of PutAsync spent making the verified upload visible: one server-side copy.
    clock.Restart();
    await client.CopyObjectAsync(new CopyObjectRequest { SourceBucket = options.Bucket, SourceKey = $"bench/objects/{oid.ShardedPath('/')}", DestinationBucket = options.Bucket, DestinationKey = "bench/copy" });
    var copy = clock.Elapsed.TotalSeconds;
    await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = options.Bucket, Key = "bench/copy" });
    Console.WriteLine($"run {run}: S3ObjectStore.PutAsync {storeTimes[^1]:F2} s (of which a server-side copy takes ~{copy:F2} s), "
        + $"TransferUtility.UploadAsync {sdkTimes[^1]:F2} s (stored {stored} bytes of {size})");
}

double MiBps(double seconds) => size / 1048576.0 / seconds;
var best = (Store: storeTimes.Min(), Sdk: sdkTimes.Min());
Console.WriteLine($"best of {runs}: S3ObjectStore {MiBps(best.Store):F0} MiB/s, TransferUtility {MiBps(best.Sdk):F0} MiB/s, ratio {best.Sdk / best.Store:F2}x (goal >= 0.8x)");
