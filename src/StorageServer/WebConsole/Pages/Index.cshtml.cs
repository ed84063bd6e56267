using StorageServer.WebConsole.Overview;

namespace StorageServer.WebConsole.Pages;

internal sealed class IndexModel(ConsoleOverview overview, TimeProvider clock) : ConsolePage(clock)
{
    public OverviewData Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Data = await overview.GetAsync(cancellationToken);
}
