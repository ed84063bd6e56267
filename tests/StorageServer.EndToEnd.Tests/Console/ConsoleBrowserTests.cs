using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using StorageServer.EndToEnd.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace StorageServer.EndToEnd.Tests.Console;

/// <summary>
/// The web console in a real browser (Debian chromium via Playwright) against the real server, with
/// data pushed by the real git-lfs client: an admin's and a DPO's day, page by page, with a
/// screenshot of each main page under <c>artifacts/console-screenshots/</c>.
/// </summary>
public sealed class ConsoleBrowserTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private const string Identifier = "mia.lindqvist@example.org";

    [Fact]
    public async Task An_admin_signs_in_creates_a_repository_and_token_sees_pushed_objects_reviews_retention_holds_and_erases_a_subject_with_a_verified_receipt()
    {
        var server = browser.Server;
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        await ConsoleBrowser.SignInAsync(page, ServerProcess.AdminToken);

        // Repository and token, as an admin does it.
        await page.GetByRole(AriaRole.Link, new() { Name = "Repositories" }).ClickAsync();
        await page.GetByLabel("Name (owner/name)").FillAsync("team/web");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "team/web", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Issue a token for team/web" }).ClickAsync();
        await page.GetByLabel("User").FillAsync("alice");
        await Expect(page.GetByLabel("Scopes")).ToHaveValueAsync("team/web=write");
        await page.GetByRole(AriaRole.Button, new() { Name = "Issue token" }).ClickAsync();
        var token = (await page.Locator("#new-token").InnerTextAsync()).Trim();
        Assert.StartsWith("ss_pat_", token, StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "tokens");

        // A push with the real git-lfs client.
        using var git = new GitSandbox();
        git.StoreCredentials(server.BaseUrl, token, "alice");
        var work = git.PathOf("web");
        git.Run(git.Root, "clone", $"{server.BaseUrl}/team/web.git", work);
        git.Run(work, "lfs", "track", "*.bin", "*.csv");
        TestFiles.Write(Path.Combine(work, "models", "weights.bin"), 300_000, seed: 5);
        File.WriteAllText(Path.Combine(work, "customers.csv"), $"id,email\r\nc1,{Identifier}\r\nc2,noah@example.org\r\n");
        git.Run(work, "add", "-A");
        git.Run(work, "commit", "-m", "data");
        git.Run(work, "push", "origin", "main");

        await page.GotoAsync("/console/repos/team/web");
        var objects = page.GetByRole(AriaRole.Table).Filter(new() { HasText = "models/weights.bin" });
        await Expect(objects).ToContainTextAsync("293 KB");
        await Expect(objects).ToContainTextAsync("customers.csv");
        await ConsoleBrowser.ScreenshotAsync(page, "repository");
        await page.GotoAsync("/console/tokens");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "alice" })).Not.ToContainTextAsync("never");

        // Retention: a dry run and its report.
        await page.GetByRole(AriaRole.Link, new() { Name = "Retention" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Dry run queued");
        var completed = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "(dry run)" }).Filter(new() { HasText = "completed" });
        await ConsoleBrowser.ReloadUntilVisibleAsync(page, completed, "the dry run to complete");
        await ConsoleBrowser.ScreenshotAsync(page, "retention");
        await completed.GetByRole(AriaRole.Link, new() { Name = "open report" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Report" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("Nothing to reclaim");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "CSV", Exact = true }).ClickAsync());
        Assert.StartsWith("oid,size,repository,path", await File.ReadAllTextAsync((await download.PathAsync())!), StringComparison.Ordinal);
        await ConsoleBrowser.ScreenshotAsync(page, "retention-report");

        // A legal hold, placed and released.
        await page.GetByRole(AriaRole.Link, new() { Name = "Legal holds" }).ClickAsync();
        await page.GetByLabel("Case reference").FillAsync("CASE-7");
        await page.GetByLabel("Repository (optional)").SelectOptionAsync("team/web");
        await page.GetByLabel("Path glob (optional)").FillAsync("models/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place hold" }).ClickAsync();
        var hold = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CASE-7" });
        await Expect(hold).ToContainTextAsync("team/web");
        await Expect(hold.Locator("code")).ToHaveTextAsync("models/**");
        await ConsoleBrowser.ScreenshotAsync(page, "holds");
        await hold.GetByLabel("Reason for releasing hold").FillAsync("case closed");
        await hold.GetByRole(AriaRole.Button, new() { Name = "Release" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("released");
        await page.GotoAsync("/console/holds?state=released");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "CASE-7" })).ToContainTextAsync("case closed");

        // Erasure: file with an identifier typed into the form, review the preview, approve, open the receipt.
        await page.GetByRole(AriaRole.Link, new() { Name = "Erasure" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "File a request" }).ClickAsync();
        await page.GetByLabel("Subject key").FillAsync("cust-c1");
        await page.GetByLabel("Identifiers to find in stored content").FillAsync(Identifier);
        await page.GetByLabel("Legal basis").FillAsync("GDPR Art. 17(1)(b): consent withdrawn");
        await page.GetByRole(AriaRole.Button, new() { Name = "File request" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("filed");
        AssertNoPersonalData(page.Url, await page.ContentAsync(), server.Log);
        var approve = page.GetByRole(AriaRole.Button, new() { Name = "Approve erasure" });
        await ConsoleBrowser.ReloadUntilVisibleAsync(page, approve, "the erasure preview");
        await Expect(page.Locator("main")).ToContainTextAsync("1 of 3 removed");
        await Expect(page.Locator("main")).ToContainTextAsync("branch tip gets a redacted successor");
        await ConsoleBrowser.ScreenshotAsync(page, "erasure-preview");
        // One record of three is more than the flag share: approving needs the flag acknowledged.
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Flagged");
        await page.GetByLabel("I reviewed the flagged objects").CheckAsync();
        await approve.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved");
        var verified = page.Locator("#receipt ~ section .state.good");
        await ConsoleBrowser.ReloadUntilVisibleAsync(page, verified, "the erasure receipt");
        await Expect(page.Locator("main")).ToContainTextAsync("verified");
        var receipt = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the signed receipt (JSON)" }).ClickAsync());
        using var receiptJson = JsonDocument.Parse(await File.ReadAllTextAsync((await receipt.PathAsync())!));
        using var api = server.CreateClient(ServerProcess.AdminToken);
        using var check = await api.PostAsJsonAsync("/api/erasure/receipts/verify", receiptJson.RootElement);
        Assert.True((await check.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
        await ConsoleBrowser.ScreenshotAsync(page, "erasure-receipt");
        AssertNoPersonalData(page.Url, await page.ContentAsync(), server.Log);

        foreach (var (link, name) in new[] { ("Overview", "overview"), ("Jobs", "jobs"), ("Audit", "audit") })
        {
            await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
            await ConsoleBrowser.ScreenshotAsync(page, name);
        }
        await Expect(page.Locator("main")).ToContainTextAsync("verified");
        await Expect(page.Locator("main")).ToContainTextAsync("erasure.approve");
    }

    [Fact]
    public async Task A_form_posted_from_another_site_does_not_reach_the_console()
    {
        var server = browser.Server;
        var victim = await server.CreateTokenAsync("victim", new Dictionary<string, string> { ["*"] = "read" });
        using var api = server.CreateClient(ServerProcess.AdminToken);
        var id = (await api.GetFromJsonAsync<JsonElement>("/api/tokens")).EnumerateArray().Last(t => t.GetProperty("user").GetString() == "victim").GetProperty("id").GetInt64();
        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        await ConsoleBrowser.SignInAsync(page, ServerProcess.AdminToken);

        // Another site (localhost is not the same site as 127.0.0.1) that auto-submits a revoke form to the console.
        var port = LoopbackPort.Free();
        using var attacker = new HttpListener();
        attacker.Prefixes.Add($"http://localhost:{port}/");
        attacker.Start();
        var serve = Task.Run(async () =>
        {
            var request = await attacker.GetContextAsync();
            var html = $"<form id=f method=post action=\"{server.BaseUrl}/console/tokens?handler=Revoke\"><input name=id value={id}></form><script>document.getElementById('f').submit()</script>";
            var bytes = Encoding.UTF8.GetBytes(html);
            request.Response.ContentType = "text/html";
            await request.Response.OutputStream.WriteAsync(bytes);
            request.Response.Close();
        });
        var landed = page.WaitForResponseAsync(r => r.Url.StartsWith(server.BaseUrl + "/console/tokens", StringComparison.Ordinal));
        await page.GotoAsync($"http://localhost:{port}/");
        await serve;
        var response = await landed;
        // SameSite=Strict: the browser sent no session cookie, so the console answered with its sign-in redirect.
        Assert.Equal(302, response.Status);
        Assert.Contains("/console/signin", await response.HeaderValueAsync("location") ?? "", StringComparison.Ordinal);

        var tokens = await api.GetFromJsonAsync<JsonElement>("/api/tokens");
        Assert.Equal(JsonValueKind.Null, tokens.EnumerateArray().Single(t => t.GetProperty("id").GetInt64() == id).GetProperty("revokedAt").ValueKind);
        Assert.NotEmpty(victim);
    }

    [Fact]
    public async Task Repositories_and_the_overview_show_what_came_through_DVC_next_to_the_LFS_objects()
    {
        var server = browser.Server;
        await server.CreateRepoAsync("team/dvc-usage");
        var token = await server.CreateTokenAsync("alice", new Dictionary<string, string> { ["team/dvc-usage"] = "write" });
        await using var dvc = new Dvc.DvcWireClient(server.Port, "/team/dvc-usage.git/info/dvc", Dvc.DvcServerFixture.Basic("alice", token));
        var model = new byte[3000];
        new Random(14).NextBytes(model);
        Assert.Equal(201, (await dvc.UploadAsync(Dvc.DvcWireClient.FilePath(Dvc.DvcMd5.Of(model)), model)).Status);
        using var api = server.CreateClient(ServerProcess.AdminToken);
        var usage = await api.GetFromJsonAsync<JsonElement>("/api/storage/usage");
        var row = usage.GetProperty("repositories").EnumerateArray().Single(r => r.GetProperty("repository").GetString() == "team/dvc-usage");
        Assert.Equal((1, 3000), (row.GetProperty("dvcObjects").GetInt64(), row.GetProperty("dvcBytes").GetInt64()));
        Assert.True(usage.GetProperty("liveDvcObjects").GetInt64() >= 1);

        var (context, page) = await browser.NewPageAsync();
        await using var _ = context;
        await ConsoleBrowser.SignInAsync(page, ServerProcess.AdminToken);
        await page.GotoAsync("/console/repos");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "team/dvc-usage" })).ToContainTextAsync("1 · 2.9 KB");
        await page.GotoAsync("/console");
        await Expect(page.Locator("main")).ToContainTextAsync("via DVC");
    }

    private static void AssertNoPersonalData(string url, string html, string log)
    {
        foreach (var (where, text) in new[] { ("URL", url), ("page source", html), ("server log", log) })
        {
            Assert.False(text.Contains(Identifier, StringComparison.OrdinalIgnoreCase), $"The identifier appears in the {where}.");
            Assert.False(text.Contains("cust-c1", StringComparison.Ordinal), $"The subject appears in the {where}.");
        }
    }
}
