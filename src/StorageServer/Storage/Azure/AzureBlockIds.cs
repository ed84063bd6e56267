using System.Text;

namespace StorageServer.Storage.Azure;

/// <summary>
/// Names the blocks of one upload or copy: base64 of the upload's guid and a 6-digit index, so
/// every id of a blob has the same length (the service requires it) and concurrent uploads of one
/// object stage side by side without touching each other's blocks.
/// </summary>
internal sealed class AzureBlockIds
{
    private readonly string _upload = Guid.NewGuid().ToString("N");
    private readonly List<string> _ids = [];

    /// <summary>Every id handed out, in order: the block list to commit.</summary>
    public IReadOnlyList<string> All => _ids;

    public int Count => _ids.Count;

    public string Next()
    {
        if (_ids.Count == AzureBlobStoreOptions.MaxBlocks)
        {
            throw new InvalidOperationException($"The body needs more than {AzureBlobStoreOptions.MaxBlocks} blocks; raise {AzureBlobStoreOptions.Section}:BlockSize.");
        }
        var id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{_upload}{_ids.Count:D6}"));
        _ids.Add(id);
        return id;
    }
}
