using Microsoft.Extensions.Options;

namespace StorageServer.Storage.S3;

/// <summary>Checks <see cref="S3StoreOptions"/> at startup; every message names the full configuration key.</summary>
internal sealed class S3StoreOptionsValidator : IValidateOptions<S3StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, S3StoreOptions options)
    {
        const string s = S3StoreOptions.Section;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            errors.Add($"{s}:Bucket is required when ObjectStore:Type is S3.");
        }
        if (options.ServiceUrl is null && string.IsNullOrWhiteSpace(options.Region))
        {
            errors.Add($"{s}:ServiceUrl or {s}:Region is required when ObjectStore:Type is S3.");
        }
        if (options.ServiceUrl is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            errors.Add($"{s}:ServiceUrl must be an absolute http or https URL.");
        }
        if (string.IsNullOrEmpty(options.AccessKey) != string.IsNullOrEmpty(options.SecretKey))
        {
            errors.Add($"{s}:AccessKey and {s}:SecretKey must be set together (or both left unset for the SDK's default credentials).");
        }
        if (options.PartSize is < S3StoreOptions.MinPartSize or > S3StoreOptions.MaxPartSize)
        {
            errors.Add($"{s}:PartSize must be between {S3StoreOptions.MinPartSize} (5 MiB, the S3 minimum) and {S3StoreOptions.MaxPartSize} bytes.");
        }
        if (options.Prefix.StartsWith('/'))
        {
            errors.Add($"{s}:Prefix must not start with '/'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
