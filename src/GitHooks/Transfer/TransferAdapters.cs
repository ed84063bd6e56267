using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>
/// The adapters one queue may use. Objects of at least <paramref name="resumableMinSize"/> bytes go
/// in batches that offer the resumable adapter first; the server's <c>transfer</c> answer picks
/// the adapter for the whole batch, and anything but the resumable one's name means basic (a
/// server that does not know it answers basic, or nothing).
/// </summary>
public sealed class TransferAdapters(ITransferAdapter basic, ITransferAdapter? resumable = null, long resumableMinSize = long.MaxValue)
{
    public string Operation => basic.Operation;

    public ITransferAdapter Basic => basic;

    public bool OffersResumable(LfsPointer pointer) => resumable is not null && pointer.Size >= resumableMinSize;

    /// <summary>The <c>transfers</c> list of a batch request for objects like <paramref name="pointer"/>.</summary>
    public IReadOnlyList<string> Offer(LfsPointer pointer) => OffersResumable(pointer) ? [resumable!.Name, basic.Name] : [basic.Name];

    public ITransferAdapter Chosen(string? transfer) => resumable is not null && transfer == resumable.Name ? resumable : basic;
}
