using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageServer.Erasure.Scanning;

// bench/erasure/run.sh drives this: generate <dir> <MiB> | scan <dir> <ci:0|1> <patterns…> | erase <url> <admin-token> <count> <work>
return args[0] switch
{
    "generate" => Generate(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
    "scan" => await ScanAsync(args[1], args[2] == "1", args[3..]),
    "erase" => await EraseAsync(new Uri(args[1]), args[2], int.Parse(args[3], CultureInfo.InvariantCulture), args[4]),
    _ => 2,
};

// CSV-like text in 8 MiB objects: customer rows that never contain the identifiers searched for.
static int Generate(string dir, int mib)
{
    Directory.CreateDirectory(dir);
    var random = new Random(42);
    var line = new StringBuilder();
    for (var file = 0; file < mib / 8; file++)
    {
        using var output = new StreamWriter(Path.Combine(dir, $"object-{file:D4}.csv"), false, new UTF8Encoding(false), 1 << 20);
        long written = 0;
        while (written < 8L * 1024 * 1024)
        {
            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"c{random.Next(100000, 999999)},");
            for (var i = 0; i < 12; i++)
            {
                line.Append((char)('a' + random.Next(26)));
            }
            line.Append(CultureInfo.InvariantCulture, $"@mail{random.Next(100)}.example,{random.Next(1, 100000)}.{random.Next(10, 99)},2026-{random.Next(1, 12):D2}-{random.Next(1, 28):D2}\n");
            output.Write(line);
            written += line.Length;
        }
    }
    return 0;
}

// The server's scan path: FileStream opened as FileSystemObjectStore.OpenReadAsync does, through StreamMatcher.
static async Task<int> ScanAsync(string dir, bool caseInsensitive, string[] patterns)
{
    var matcher = new StreamMatcher(patterns.Select(Encoding.UTF8.GetBytes), caseInsensitive);
    var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToList();
    long bytes = 0;
    var matches = 0;
    var clock = Stopwatch.StartNew();
    foreach (var file in files)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 0, FileOptions.Asynchronous | FileOptions.SequentialScan);
        bytes += stream.Length;
        if (await matcher.ContainsAnyAsync(stream, CancellationToken.None))
        {
            matches++;
        }
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds:F3} {bytes} {matches}"));
    return 0;
}

// A subject in <count> objects: uploaded through the LFS API, committed as pointers under a path
// rule, pushed with git; then one erasure request, timed from POST to completed.
static async Task<int> EraseAsync(Uri server, string adminToken, int count, string work)
{
    using var admin = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(30) };
    admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
    (await admin.PostAsJsonAsync("/api/repos", new { name = "bench/crm" })).EnsureSuccessStatusCode();
    var tokenResponse = await admin.PostAsJsonAsync("/api/tokens", new { user = "bench", scopes = new Dictionary<string, string> { ["bench/crm"] = "write" } });
    var token = (await tokenResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

    var objects = Enumerable.Range(0, count).Select(i =>
    {
        var content = Encoding.UTF8.GetBytes($"customer cust-00042 record {i}\nname: Zora Benchmark\nemail: zora.bench@example.org\n" + new string('x', 4096 + i));
        return (Path: $"data/customers/cust-00042/part-{i:D4}.txt", Content: content, Oid: Convert.ToHexStringLower(SHA256.HashData(content)));
    }).ToList();
    var upload = Stopwatch.StartNew();
    using var lfs = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(10) };
    lfs.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    foreach (var chunk in objects.Chunk(100))
    {
        var batch = new { operation = "upload", transfers = new[] { "basic" }, objects = chunk.Select(o => new { oid = o.Oid, size = o.Content.Length }) };
        using var content = new StringContent(JsonSerializer.Serialize(batch), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.git-lfs+json");
        var answer = await (await lfs.PostAsync("/bench/crm.git/info/lfs/objects/batch", content)).Content.ReadFromJsonAsync<JsonElement>();
        await Parallel.ForEachAsync(answer.GetProperty("objects").EnumerateArray().Zip(chunk), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (pair, ct) =>
        {
            var (entry, item) = pair;
            // The server answers uploads without a verify action (its PUT already verified the bytes);
            // one that asks for it gets it.
            var actions = entry.GetProperty("actions");
            foreach (var action in new[] { "upload", "verify" }.Where(a => actions.TryGetProperty(a, out _)))
            {
                var href = actions.GetProperty(action);
                using var request = new HttpRequestMessage(action == "upload" ? HttpMethod.Put : HttpMethod.Post, href.GetProperty("href").GetString())
                {
                    Content = action == "upload"
                        ? new ByteArrayContent(item.Content)
                        : new StringContent(JsonSerializer.Serialize(new { oid = item.Oid, size = item.Content.Length }), Encoding.UTF8, "application/vnd.git-lfs+json"),
                };
                foreach (var header in href.GetProperty("header").EnumerateObject())
                {
                    request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                }
                (await lfs.SendAsync(request, ct)).EnsureSuccessStatusCode();
            }
        });
    }
    var uploadSeconds = upload.Elapsed.TotalSeconds;

    var repo = Path.Combine(work, "crm");
    Git(work, "clone", $"http://bench:{token}@{server.Authority}/bench/crm.git", repo);
    foreach (var o in objects)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(repo, o.Path))!);
        File.WriteAllText(Path.Combine(repo, o.Path), $"version https://git-lfs.github.com/spec/v1\noid sha256:{o.Oid}\nsize {o.Content.Length}\n");
    }
    Git(repo, "add", "-A");
    Git(repo, "-c", "user.name=bench", "-c", "user.email=bench@example.org", "commit", "-qm", "1000 files of one customer");
    Git(repo, "push", "-q", "origin", "HEAD:main");

    (await admin.PostAsJsonAsync("/api/erasure/path-rules", new { repository = "bench/crm", pattern = "data/customers/{subject}/**" })).EnsureSuccessStatusCode();
    var clock = Stopwatch.StartNew();
    var created = await admin.PostAsJsonAsync("/api/erasure/requests", new
    {
        subject = "cust-00042",
        legalBasis = "benchmark",
        identifiers = new[] { "zora.bench@example.org", "Zora Benchmark" },
    });
    created.EnsureSuccessStatusCode();
    var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
    JsonElement state;
    var approved = false;
    do
    {
        await Task.Delay(100);
        state = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}");
        // The preview is part of the measured time; the approval is given as soon as it is ready.
        if (!approved && state.GetProperty("state").GetString() == "previewed")
        {
            (await admin.PostAsJsonAsync($"/api/erasure/requests/{id}/approve", new { acknowledgeFlags = true })).EnsureSuccessStatusCode();
            approved = true;
        }
    }
    while (state.GetProperty("state").GetString() is not ("completed" or "deferred") && clock.Elapsed < TimeSpan.FromMinutes(20));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{clock.Elapsed.TotalSeconds:F2} {state.GetProperty("state").GetString()} {state.GetProperty("objectsErased").GetInt32()} {uploadSeconds:F1}"));
    return state.GetProperty("state").GetString() == "completed" ? 0 : 1;
}

static void Git(string directory, params string[] arguments)
{
    var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
    foreach (var argument in arguments)
    {
        start.ArgumentList.Add(argument);
    }
    start.Environment["GIT_TERMINAL_PROMPT"] = "0";
    using var git = Process.Start(start)!;
    var error = git.StandardError.ReadToEnd();
    git.StandardOutput.ReadToEnd();
    git.WaitForExit();
    if (git.ExitCode != 0)
    {
        throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {error}");
    }
}
