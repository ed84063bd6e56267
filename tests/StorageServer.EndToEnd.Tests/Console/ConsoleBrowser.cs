using System.Runtime.InteropServices;
using Microsoft.Playwright;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Console;

/// <summary>
/// One real server process and one headless Debian chromium, driven by Playwright, shared by the
/// console's browser tests (a browser start costs seconds; each test gets its own context).
/// The network is closed here, so chromium starts without anything that would reach out.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public ServerProcess Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots of the main pages go: <c>artifacts/console-screenshots/</c>.</summary>
    public static string ScreenshotDirectory { get; } = Directory.CreateDirectory(Path.Combine(RepoRoot.Path, "artifacts", "console-screenshots")).FullName;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: scripts/test.sh installs Debian's chromium (apt-get install chromium).");
        Server = await ServerProcess.StartAsync();
        _playwright = await Playwright.CreateAsync();
        List<string> args = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"];
        if (GetEffectiveUserId() == 0)
        {
            // Chromium's sandbox refuses to run as root.
            args.Add("--no-sandbox");
        }
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = ChromiumPath, Headless = true, Args = args });
    }

    /// <summary>A fresh browser context (its own cookies) on the server, accepting the console's confirm dialogs.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Server.BaseUrl, ViewportSize = new ViewportSize { Width = 1366, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        return (context, page);
    }

    public static async Task SignInAsync(IPage page, string token)
    {
        await page.GotoAsync("/console/");
        await page.GetByLabel("Admin token").FillAsync(token);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page screenshot, after checking that no Razor code leaked into the page as text.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var text = await page.InnerTextAsync("main");
        Assert.False(text.Contains("@if", StringComparison.Ordinal) || text.Contains("@foreach", StringComparison.Ordinal) || text.Contains("@(", StringComparison.Ordinal), $"Razor code shows on {page.Url}:\n{text}");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>Reloads <paramref name="page"/> until <paramref name="locator"/> shows (a background job finishing), up to two minutes.</summary>
    public static async Task ReloadUntilVisibleAsync(IPage page, ILocator locator, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (await locator.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Gave up waiting for {what} on {page.Url}:\n{await page.InnerTextAsync("main")}");
            await Task.Delay(500);
            await page.ReloadAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();
}
