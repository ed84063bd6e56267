using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using StorageServer.Configuration;

namespace StorageServer.Storage.Azure;

/// <summary>Checks <see cref="AzureBlobStoreOptions"/> at startup; every message names the full configuration key.</summary>
internal sealed partial class AzureBlobStoreOptionsValidator(IOptions<LfsOptions> lfs) : IValidateOptions<AzureBlobStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureBlobStoreOptions options)
    {
        const string s = AzureBlobStoreOptions.Section;
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString) == (options.ServiceUrl is null))
        {
            errors.Add($"{s}:ConnectionString or {s}:ServiceUrl is required when ObjectStore:Type is AzureBlob (one of them, not both).");
        }
        if (options.ServiceUrl is { IsAbsoluteUri: false } or { Scheme: not ("http" or "https") })
        {
            errors.Add($"{s}:ServiceUrl must be an absolute http or https URL.");
        }
        if (string.IsNullOrEmpty(options.AccountName) != string.IsNullOrEmpty(options.AccountKey))
        {
            errors.Add($"{s}:AccountName and {s}:AccountKey must be set together (or both left unset to sign in with Microsoft Entra ID).");
        }
        if (!string.IsNullOrEmpty(options.AccountKey) && options.ServiceUrl is null)
        {
            errors.Add($"{s}:AccountKey goes with {s}:ServiceUrl; a connection string carries its own key.");
        }
        if (!string.IsNullOrEmpty(options.AccountKey) && !IsBase64(options.AccountKey))
        {
            errors.Add($"{s}:AccountKey must be the base64 account key.");
        }
        if (options.Container is null || !ContainerName().IsMatch(options.Container) || options.Container.Contains("--", StringComparison.Ordinal))
        {
            errors.Add($"{s}:Container is required: 3-63 lowercase letters, digits and single hyphens, starting with a letter or digit.");
        }
        if (options.BlockSize is < AzureBlobStoreOptions.MinBlockSize or > AzureBlobStoreOptions.MaxBlockSize)
        {
            errors.Add($"{s}:BlockSize must be between {AzureBlobStoreOptions.MinBlockSize} (1 MiB) and {AzureBlobStoreOptions.MaxBlockSize} bytes.");
        }
        else if ((long)options.BlockSize * AzureBlobStoreOptions.MaxBlocks < lfs.Value.MaxObjectSize)
        {
            errors.Add($"{s}:BlockSize {options.BlockSize} is too small for Lfs:MaxObjectSize {lfs.Value.MaxObjectSize}: a blob has at most {AzureBlobStoreOptions.MaxBlocks} blocks.");
        }
        if (options.Prefix.StartsWith('/'))
        {
            errors.Add($"{s}:Prefix must not start with '/'.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsBase64(string value) => Convert.TryFromBase64String(value, new byte[value.Length], out _);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex ContainerName();
}
