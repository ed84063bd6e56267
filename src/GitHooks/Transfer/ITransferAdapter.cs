using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Pointers;

namespace GitHooks.Transfer;

/// <summary>Moves one object using the actions a batch response gave for it.</summary>
public interface ITransferAdapter
{
    /// <summary>The transfer adapter's name in the batch protocol (<c>basic</c>, <c>tus</c>).</summary>
    string Name => StorageServer.Protocol.LfsMediaTypes.BasicTransfer;

    /// <summary>"upload" or "download": the batch operation this adapter serves.</summary>
    string Operation { get; }

    /// <summary>True when the server's answer means there is nothing to move (upload: it has the object).</summary>
    bool NothingToDo(BatchResponseObject answer);

    Task TransferAsync(LfsPointer pointer, BatchResponseObject answer, CancellationToken cancellationToken);
}
