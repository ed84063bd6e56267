using System.Diagnostics;
using System.Globalization;
using StorageServer.EndToEnd.Tests.Dvc;
using StorageServer.EndToEnd.Tests.Support;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>
/// Plays a <see cref="Scenario"/> against a real server process with the real git and git-lfs,
/// moving the server's test clock (holds at day + 0.1, pushes at + 0.2, marks at + 0.5, sweeps at
/// + 0.6, so no decision falls within hours of a day boundary), and checks every mark and sweep
/// against the <see cref="RetentionOracle"/>. Stops at the first checkpoint that disagrees.
/// </summary>
public sealed class ScenarioRunner(Scenario scenario) : IAsyncDisposable
{
    private readonly string _offsetFile = Path.Combine(Path.GetTempPath(), $"storageserver-clock-{Guid.NewGuid():N}");
    private readonly GitSandbox _git = new();
    private readonly ObjectPool _pool = new(scenario.ObjectSizes);
    private readonly List<(HoldOp Hold, long Id)> _holds = [];
    private readonly Dictionary<(int, string), double> _trashedAt = [];
    private readonly Dictionary<int, HashSet<string>> _fetchedClean = [];
    private readonly List<OracleRepo> _repos = [];
    private readonly List<LocalRepository> _locals = [];
    private readonly List<ClientFetchCheck> _clients = [];
    private ServerProcess _server = null!;
    private HttpClient _adminClient = null!;
    private ScenarioAdmin _admin = null!;
    private LfsProbe _probe = null!;
    private string _token = null!;
    private GitFacts _facts = null!;
    private int _clockWrites;

    /// <summary>What happened, one line per operation, push, hold and run, with the seconds since the start.</summary>
    public List<string> Transcript { get; } = [];

    public List<string> Problems { get; } = [];

    public ScenarioTally Tally { get; } = new();

    public async Task RunAsync()
    {
        var start = Stopwatch.GetTimestamp();
        await StartAsync();
        Tally.Add("start", start);
        foreach (var day in scenario.Days)
        {
            await HoldsAsync(day);
            start = Stopwatch.GetTimestamp();
            await PushesAsync(day);
            Tally.Add("push", start);
            if (day.Mark)
            {
                await CheckpointAsync(day.Day + 0.5, "mark");
            }
            if (day.Sweep && Problems.Count == 0)
            {
                await CheckpointAsync(day.Day + 0.6, "sweep");
            }
            if (Problems.Count > 0)
            {
                break;
            }
        }
        Tally.OracleGitProcesses = _facts.Processes;
    }

    private async Task StartAsync()
    {
        _server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["STORAGESERVER_TEST_CLOCK_OFFSET_FILE"] = _offsetFile,
            ["Retention__TrashWindow"] = TimeSpan.FromDays(ScenarioGen.TrashWindowDays).ToString("c", CultureInfo.InvariantCulture),
        });
        _adminClient = _server.CreateClient(ServerProcess.AdminToken);
        _admin = new ScenarioAdmin(_adminClient, _pool);
        _token = await _server.CreateTokenAsync("oracle", new Dictionary<string, string> { ["*"] = "write" });
        _probe = new LfsProbe(_server, _token, _pool);
        _facts = new GitFacts(_git, md5 => _pool.Md5s.ToList().IndexOf(md5) is var i and >= 0 ? _pool.Oids[i] : null);
        for (var i = 0; i < scenario.RepoCount; i++)
        {
            var name = ScenarioText.Repo(i);
            await _server.CreateRepoAsync(name);
            var url = $"http://oracle:{_token}@127.0.0.1:{_server.Port}/{name}.git";
            _repos.Add(new OracleRepo(i, Path.Combine(_server.DataDir, "repos", name + ".git"), scenario.Policies, _facts));
            _locals.Add(new LocalRepository(_git, _git.PathOf($"r{i}"), url, _pool, new LocalHistory(i)));
            _clients.Add(new ClientFetchCheck(_git, _git.PathOf($"verify-r{i}"), url));
        }
        foreach (var policy in scenario.Policies)
        {
            await _admin.CreatePolicyAsync(policy);
        }
    }

    private async Task HoldsAsync(DayPlan day)
    {
        SetClock(day.Day + 0.1);
        foreach (var op in day.Holds)
        {
            var release = op switch
            {
                ReleaseHold r when _holds.Count > 0 => [_holds[r.Which % _holds.Count]],
                ReleaseAllHolds => _holds.ToList(),
                ReleaseHold => [],
                _ => null,
            };
            if (release is null)
            {
                _holds.Add((op, await _admin.PlaceHoldAsync(op)));
                Log($"day {day.Day}: {ScenarioText.Hold(op)} (hold {_holds[^1].Id})");
                continue;
            }
            foreach (var hold in release)
            {
                await _admin.ReleaseHoldAsync(hold.Id);
                _holds.Remove(hold);
                Log($"day {day.Day}: released hold {hold.Id} ({ScenarioText.Hold(hold.Hold)})");
            }
        }
    }

    private async Task PushesAsync(DayPlan day)
    {
        var now = day.Day + 0.2;
        SetClock(now);
        foreach (var repoDay in day.Repos)
        {
            var (repo, local) = (_repos[repoDay.Repo], _locals[repoDay.Repo]);
            foreach (var op in repoDay.Ops)
            {
                local.History.Apply(op);
            }
            foreach (var line in local.History.Transcript)
            {
                Log($"day {day.Day}: {repo.Name}: {line}");
            }
            local.History.Transcript.Clear();
            await PushDvcDataAsync(repo, local, now);
            var specs = local.WriteAndPush(day.Day);
            if (specs.Count > 0)
            {
                Tally.Pushes++;
                Log($"day {day.Day}: {repo.Name}: git push {string.Join(' ', specs)}");
                repo.Observe(now, pushed: true);
            }
            foreach (var index in local.History.Uploads)
            {
                var file = _git.PathOf($"upload-O{index}");
                await File.WriteAllBytesAsync(file, _pool.Bytes(index));
                await LfsApiClient.UploadAsync(_server, repo.Name, _token, file);
                repo.Touch(_pool.Oids[index], now);
            }
            local.History.Uploads.Clear();
        }
    }

    /// <summary>
    /// <c>dvc push</c> before <c>git push</c>, request for request (notes §3.1, §3.4): a GET per object
    /// as the existence check, a chunked POST of each one answered 400 or more. An upload may make or
    /// revive a claim, which the oracle records like an LFS upload.
    /// </summary>
    private async Task PushDvcDataAsync(OracleRepo repo, LocalRepository local, double now)
    {
        var objects = local.DvcObjects();
        if (objects.Count == 0)
        {
            return;
        }
        await using var dvc = new DvcWireClient(_server.Port, $"/{repo.Name}.git/info/dvc", DvcServerFixture.Basic("oracle", _token));
        foreach (var index in objects)
        {
            var path = DvcWireClient.FilePath(_pool.Md5s[index]);
            if ((await dvc.ExistsAsync(path)).Status < 400)
            {
                continue;
            }
            var upload = await dvc.UploadAsync(path, _pool.Bytes(index));
            if (upload.Status >= 400)
            {
                throw new InvalidOperationException($"dvc push of O{index} to {repo.Name}: {upload}");
            }
            repo.Touch(_pool.Oids[index], now);
            Log($"{repo.Name}: dvc push O{index}");
        }
    }

    private async Task CheckpointAsync(double now, string kind)
    {
        SetClock(now);
        var start = Stopwatch.GetTimestamp();
        var when = string.Create(CultureInfo.InvariantCulture, $"day {now:0.0} {kind}");
        var holds = _holds.Select(h => h.Hold).ToList();
        var oracle = new RetentionOracle(_repos, _pool);
        var judge = new CheckpointJudge(_pool, _probe, Tally);
        var claims = new List<ClaimView>();
        foreach (var repo in _repos)
        {
            repo.Observe(now, pushed: false);
            var statuses = await _probe.StatusAsync(repo.Name, repo.Claims.Keys);
            claims.AddRange(repo.Claims.Keys.Select(oid => new ClaimView(repo, oid, oracle.Evaluate(repo, oid, now, holds), statuses[oid])));
        }
        Problems.AddRange(judge.JudgeTips(when + " (before the run)", claims));
        Tally.Add("judge", start);
        start = Stopwatch.GetTimestamp();
        var run = await RetentionRuns.RunAsync(_adminClient, kind, () => _server.Log);
        _ = kind == "mark" ? Tally.Marks++ : Tally.Sweeps++;
        Tally.Add(kind, start);
        start = Stopwatch.GetTimestamp();
        foreach (var group in claims.GroupBy(c => c.Repo))
        {
            var after = await _probe.StatusAsync(group.Key.Name, group.Select(c => c.Oid));
            foreach (var claim in group)
            {
                claim.After = after[claim.Oid];
            }
        }
        var stored = RetentionRuns.StoredObjects(_server.DataDir).ToHashSet(StringComparer.Ordinal);
        var problems = await judge.JudgeAsync(when, kind == "sweep", claims, stored, _trashedAt, now);
        foreach (var claim in claims)
        {
            if (claim.After.Code == 404 && claim.Before.Code != 404)
            {
                _trashedAt[(claim.Repo.Index, claim.Oid)] = now;
            }
        }
        Log($"{when}: server {Totals(run)}; oracle keep {claims.Count(c => c.Verdict.Kind == VerdictKind.Keep)}, "
            + $"delete {claims.Count(c => c.Verdict.Kind == VerdictKind.Delete)}, open {claims.Count(c => c.Verdict.Kind == VerdictKind.Unknown)}");
        if (problems.Count > 0 && kind == "mark")
        {
            var disputed = claims.Where(c => problems.Any(p => p.Contains(c.Oid, StringComparison.Ordinal))).Select(c => c.Oid).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(await _admin.ReportLinesAsync(run.GetProperty("id").GetInt64(), disputed));
        }
        Problems.AddRange(problems);
        Tally.Add("judge", start);
        start = Stopwatch.GetTimestamp();
        FetchWithTheClient(when, claims);
        Tally.Add("fetch", start);
    }

    /// <summary>
    /// Every ref whose tip objects the oracle keeps (and the server served) fetches and fscks clean
    /// with git-lfs. A ref at the same object whose tip objects were served before and after this
    /// run too (their bytes checked by the probe just now) fetched clean before: it is not fetched again.
    /// </summary>
    private void FetchWithTheClient(string when, List<ClaimView> claims)
    {
        foreach (var repo in _repos)
        {
            var statuses = claims.Where(c => c.Repo == repo).ToDictionary(c => c.Oid, StringComparer.Ordinal);
            bool Served(string oid) => statuses.TryGetValue(oid, out var c) && c.Verdict.Kind == VerdictKind.Keep && c.Before.Code != 410
                && (c.Verdict.Reason == KeepReason.Tip || c.Before.Code == 200);
            var refs = repo.Refs.Where(r => r.Type != "blob" && repo.TipPointers[r.Name].Values.All(Served))
                .Select(r => (Ref: r, Fingerprint: $"{r.Name}={r.Sha}" + string.Concat(repo.TipPointers[r.Name].Values.Order(StringComparer.Ordinal)
                    .Select(o => $" {o}:{statuses[o].Before.Code}{statuses[o].After.Code}"))))
                .ToList();
            var clean = _fetchedClean.TryGetValue(repo.Index, out var known) ? known : _fetchedClean[repo.Index] = new HashSet<string>(StringComparer.Ordinal);
            var check = refs.Where(r => !clean.Contains(r.Fingerprint)).ToList();
            Tally.RefsUnchanged += refs.Count - check.Count;
            if (check.Count == 0)
            {
                continue;
            }
            Tally.RefsFetched += check.Count;
            if (_clients[repo.Index].Check([.. check.Select(r => r.Ref)]) is { } failure)
            {
                Problems.Add($"{when}: {repo.Name}: the real client cannot fetch refs the oracle keeps: {failure.Replace(_token, "<token>", StringComparison.Ordinal)}");
            }
            else
            {
                clean.UnionWith(check.Select(r => r.Fingerprint));
            }
        }
    }

    private void Log(string line) => Transcript.Add(string.Create(CultureInfo.InvariantCulture, $"[{Tally.Elapsed.Elapsed.TotalSeconds,5:0.0} s] {line}"));

    private static string Totals(System.Text.Json.JsonElement run) => string.Join(", ",
        new[] { "candidates", "trashed", "held", "swept", "skippedRevived", "skippedBusy", "errors" }.Select(k => $"{k} {run.GetProperty(k)}"));

    /// <summary>The server re-reads the offset file when its modification time changes.</summary>
    private void SetClock(double days)
    {
        File.WriteAllText(_offsetFile, (days * 86_400).ToString("R", CultureInfo.InvariantCulture));
        File.SetLastWriteTimeUtc(_offsetFile, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(++_clockWrites));
    }

    public async ValueTask DisposeAsync()
    {
        _probe?.Dispose();
        _adminClient?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        _git.Dispose();
        File.Delete(_offsetFile);
    }
}
