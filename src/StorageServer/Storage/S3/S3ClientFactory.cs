using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace StorageServer.Storage.S3;

/// <summary>Builds the SDK client for <see cref="S3StoreOptions"/>, set up for AWS and S3-compatible servers alike.</summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(S3StoreOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // Non-AWS servers reject or mangle the SDK's default CRC trailers.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        var client = string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
        if (options.ServiceUrl is not null)
        {
            client.BeforeRequestEvent += UnescapeCopySourceSlashes;
        }
        return client;
    }

    /// <summary>
    /// SDK 4 sends <c>x-amz-copy-source</c> with every '/' escaped as %2F. AWS accepts that, but
    /// servers that decode the header with JavaScript's decodeURI (s3rver) then find no bucket.
    /// Literal slashes are the documented form and accepted everywhere. Runs before signing.
    /// </summary>
    private static void UnescapeCopySourceSlashes(object sender, RequestEventArgs e)
    {
        const string header = "x-amz-copy-source";
        if (e is WebServiceRequestEventArgs request && request.Headers.TryGetValue(header, out var source))
        {
            request.Headers[header] = source.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        }
    }
}
