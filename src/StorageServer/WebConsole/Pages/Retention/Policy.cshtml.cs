using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using StorageServer.Repos;
using StorageServer.Retention.Api;
using StorageServer.Retention.Policies;

namespace StorageServer.WebConsole.Pages.Retention;

/// <summary>Create, edit or delete one retention policy (audited with before and after, as through the API).</summary>
internal sealed class PolicyModel(RetentionPolicyService policies, RepositoryService repositories, TimeProvider clock) : ConsolePage(clock)
{
    [FromRoute(Name = "id")]
    public long? Id { get; set; }

    /// <summary>The policy as stored, or null for a new one.</summary>
    public PolicyResponse? Policy { get; private set; }

    /// <summary>What the form shows: the stored policy, or what was just submitted when it was refused.</summary>
    public PolicyRequest Form { get; private set; } = new(null, null, null, null, null, null, null, null, null, true);

    public IReadOnlyList<string> Repositories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(
        [FromForm] string? name, [FromForm] string? repository, [FromForm] string? refGlob, [FromForm] string? pathGlob, [FromForm] string? protectedRefs,
        [FromForm] string? keepDays, [FromForm] string? keepLast, [FromForm] string? maxAgeDays, [FromForm] string? orphanGraceHours, [FromForm] bool enabled,
        CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var numbers = new[] { keepDays, keepLast, maxAgeDays, orphanGraceHours }.Select(Number).ToArray();
        var refs = (protectedRefs ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        Form = new PolicyRequest(name, Blank(repository), Blank(refGlob), Blank(pathGlob), refs.Count == 0 ? null : refs,
            numbers[0].Value, numbers[1].Value, numbers[2].Value, numbers[3].Value, enabled);
        if (numbers.FirstOrDefault(n => n.Error) is { Error: true })
        {
            return Refused("Day, version and hour counts must be whole numbers.");
        }
        var result = Id is { } id
            ? await policies.ReplaceAsync(id, Form, Actor, cancellationToken)
            : await policies.CreateAsync(Form, Actor, cancellationToken);
        if (result.Policy is not { } saved)
        {
            return Refused(result.Error!, result.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
        return Done($"Policy '{saved.Name}' saved (version {saved.Version}). Start a dry run to see what it would reclaim.", "/Retention/Index");
    }

    public async Task<IActionResult> OnPostDeleteAsync(CancellationToken cancellationToken)
    {
        var result = await policies.DeleteAsync(Id ?? 0, Actor, cancellationToken);
        return result.Policy is { } deleted ? Done($"Policy '{deleted.Name}' deleted.", "/Retention/Index") : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        Repositories = (await repositories.ListAsync(cancellationToken)).Select(r => r.Name).ToList();
        if (Id is not { } id)
        {
            return true;
        }
        Policy = await policies.FindAsync(id, cancellationToken);
        if (Policy is { } p)
        {
            Form = new PolicyRequest(p.Name, p.Repository, p.RefGlob, p.PathGlob, p.ProtectedRefs?.ToList(),
                p.KeepDaysAfterDereference, p.KeepLastVersions, p.MaxAgeDays, p.OrphanGraceHours, p.Enabled);
        }
        return Policy is not null;
    }

    private static (int? Value, bool Error) Number(string? text) =>
        string.IsNullOrWhiteSpace(text) ? (null, false)
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? (value, false) : (null, true);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
