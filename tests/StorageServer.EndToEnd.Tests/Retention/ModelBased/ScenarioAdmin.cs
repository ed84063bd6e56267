using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace StorageServer.EndToEnd.Tests.Retention.ModelBased;

/// <summary>The admin API calls a scenario makes: policies, holds, and reading a mark's report.</summary>
public sealed class ScenarioAdmin(HttpClient admin, ObjectPool pool)
{
    private int _cases;

    /// <summary>Creates the policy; throws with the server's answer when it refuses one the spec allows.</summary>
    public async Task CreatePolicyAsync(PolicySpec policy)
    {
        using var response = await admin.PostAsJsonAsync("/api/retention/policies", new
        {
            name = "oracle " + ScenarioText.Policy(policy),
            repository = policy.Repo is { } r ? ScenarioText.Repo(r) : null,
            refGlob = policy.RefGlob,
            pathGlob = policy.PathGlob,
            protectedRefs = policy.ProtectedRefs,
            keepDaysAfterDereference = policy.KeepDays,
            keepLastVersions = policy.KeepLast,
            orphanGraceHours = policy.GraceHours,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created,
            $"the server refused policy [{ScenarioText.Policy(policy)}]: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Places a hold; returns its id.</summary>
    public async Task<long> PlaceHoldAsync(HoldOp hold)
    {
        var caseReference = $"ORACLE-{++_cases}";
        object body = hold switch
        {
            HoldOid h => new { caseReference, oid = pool.Oids[h.Object], reason = "oracle" },
            HoldRepo h => new { caseReference, repository = ScenarioText.Repo(h.Repo), reason = "oracle" },
            HoldPath h => new { caseReference, path = h.Glob, repository = h.Repo is { } r ? ScenarioText.Repo(r) : null, reason = "oracle" },
            _ => throw new ArgumentOutOfRangeException(nameof(hold)),
        };
        using var response = await admin.PostAsJsonAsync("/api/holds", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"the server refused {ScenarioText.Hold(hold)}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt64();
    }

    public async Task ReleaseHoldAsync(long id)
    {
        using var response = await admin.PostAsJsonAsync($"/api/holds/{id}/release", new { reason = "oracle scenario" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"release of hold {id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The mark report's lines for these oids, to show next to a disagreement.</summary>
    public async Task<IEnumerable<string>> ReportLinesAsync(long runId, IReadOnlySet<string> oids)
    {
        var report = await admin.GetFromJsonAsync<JsonElement>($"/api/retention/runs/{runId}/report.json");
        return report.GetProperty("items").EnumerateArray()
            .Where(i => oids.Contains(i.GetProperty("oid").GetString()!))
            .Select(i => $"server report: {i.GetProperty("repository")} {pool.Name(i.GetProperty("oid").GetString()!)} path={i.GetProperty("path")} "
                + $"lastRef={i.GetProperty("lastRef")} policy={i.GetProperty("policy")} action={i.GetProperty("action")} reason={i.GetProperty("reason")}");
    }
}
