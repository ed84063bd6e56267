using GitHooks.Tests.Support;

// Usage: LfsTestServerHost <storage-dir>. Prints the base URL and serves until SIGINT or SIGTERM.
var storage = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "lfs-test-server");
await using var server = await LfsTestServer.StartAsync(storage);
Console.WriteLine(server.BaseUrl);
using var stop = new CancellationTokenSource();
// Stop cleanly on Ctrl+C and on SIGTERM (the bench script's kill).
using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

void Stop(System.Runtime.InteropServices.PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
