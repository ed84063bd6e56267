using System.CommandLine;
using System.Text.Json;

namespace StorageServer.Admin.Cli.Commands;

/// <summary>
/// <c>erasure request|subject|rule|receipt …</c> over <c>/api/erasure</c>. Identifiers are best given
/// with <c>--identifiers-file</c> (one per line): command-line arguments show in process listings
/// and shell history.
/// </summary>
public static class ErasureCommands
{
    public static Command Create()
    {
        var erasure = new Command("erasure", "GDPR erasure: requests, the subject index, path rules and receipts.");
        erasure.Subcommands.Add(Requests());
        erasure.Subcommands.Add(Subjects());
        erasure.Subcommands.Add(Rules());
        erasure.Subcommands.Add(Receipts());
        return erasure;
    }

    private static Option<string> SubjectOption() => new("--subject") { Description = "The data subject's key, e.g. a customer id (required; stored only as a keyed hash).", Required = true };

    private static Option<string[]> IdentifierOption() => new("--identifier") { Description = "A string to find in stored content (e-mail, name…); repeatable.", AllowMultipleArgumentsPerToken = false };

    private static Option<FileInfo?> IdentifiersFileOption() => new("--identifiers-file") { Description = "A file with one identifier per line (kept out of process listings)." };

    private static List<string>? Identifiers(ParseResult p, Option<string[]> identifier, Option<FileInfo?> file)
    {
        var all = (p.GetValue(identifier) ?? []).ToList();
        if (p.GetValue(file) is { } path)
        {
            all.AddRange(File.ReadAllLines(path.FullName).Select(l => l.Trim()).Where(l => l.Length > 0));
        }
        return all.Count == 0 ? null : all;
    }

    private static Command Requests()
    {
        var requests = new Command("request", "Erasure requests (received → previewed → approved → restricted → erasing → completed; deferred by a legal hold; cancelled).");

        var subject = SubjectOption();
        var legalBasis = new Option<string>("--legal-basis") { Description = "Why the data must be erased, e.g. \"GDPR Art. 17(1)(b)\" (required).", Required = true };
        var identifier = IdentifierOption();
        var identifiersFile = IdentifiersFileOption();
        var caseInsensitive = new Option<bool>("--case-insensitive") { Description = "Match identifiers ignoring ASCII letter case." };
        var create = new Command("create", "File a request; it runs as a background job.") { subject, legalBasis, identifier, identifiersFile, caseInsensitive };
        create.Action((p, client, ct) => client.PostAsync("api/erasure/requests", new
        {
            subject = p.GetValue(subject),
            legalBasis = p.GetValue(legalBasis),
            identifiers = Identifiers(p, identifier, identifiersFile),
            caseInsensitive = p.GetValue(caseInsensitive),
        }, ct));
        requests.Subcommands.Add(create);

        var state = new Option<string?>("--state") { Description = "received, previewed, approved, restricted, erasing, deferred, completed or cancelled." };
        var overdue = new Option<bool>("--overdue") { Description = "Only requests past their due date and not completed." };
        var list = new Command("list", "List requests.") { state, overdue };
        list.Action((p, client, ct) =>
        {
            var query = new List<string>();
            if (p.GetValue(state) is { } s)
            {
                query.Add("state=" + AdminApiClient.Segment(s));
            }
            if (p.GetValue(overdue))
            {
                query.Add("overdue=true");
            }
            return client.GetAsync("api/erasure/requests" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty), ct);
        });
        requests.Subcommands.Add(list);

        var id = new Argument<string>("id") { Description = "Request id (er_…)." };
        var show = new Command("show", "Show a request and its progress.") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}", ct));
        requests.Subcommands.Add(show);
        ErasureReviewCommands.AddTo(requests, id);

        var months = new Option<int>("--months") { Description = "1 or 2 more months (GDPR Art. 12(3)).", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (required, recorded).", Required = true };
        var extend = new Command("extend", "Extend the deadline, within the first month.") { id, months, reason };
        extend.Action((p, client, ct) => client.PostAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/extend",
            new { months = p.GetValue(months), reason = p.GetValue(reason) }, ct));
        requests.Subcommands.Add(extend);

        var againSubject = SubjectOption();
        var againIdentifier = IdentifierOption();
        var againFile = IdentifiersFileOption();
        var supply = new Command("identifiers", "Give a request its identifiers again (needed only if they were removed before the request finished).")
        {
            id, againSubject, againIdentifier, againFile, caseInsensitive,
        };
        supply.Action((p, client, ct) => client.PostAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/identifiers", new
        {
            subject = p.GetValue(againSubject),
            identifiers = Identifiers(p, againIdentifier, againFile),
            caseInsensitive = p.GetValue(caseInsensitive),
        }, ct));
        requests.Subcommands.Add(supply);

        var resume = new Command("resume", "Queue a run of the request now.") { id };
        resume.Action((p, client, ct) => client.PostAsync($"api/erasure/requests/{AdminApiClient.Segment(p.GetValue(id)!)}/resume", null, ct));
        requests.Subcommands.Add(resume);
        return requests;
    }

    private static Command Subjects()
    {
        var subjects = new Command("subject", "The subject index: which objects hold a subject's data.");

        var subject = SubjectOption();
        var lookup = new Command("lookup", "Every object of a subject, in every repository and version.") { subject };
        lookup.Action((p, client, ct) => client.PostAsync("api/erasure/subjects/lookup", new { subject = p.GetValue(subject) }, ct));
        subjects.Subcommands.Add(lookup);

        var hash = new Argument<string>("hash") { Description = "The subject's keyed hash (from lookup or a receipt)." };
        var objects = new Command("objects", "Every object of a subject known by its keyed hash.") { hash };
        objects.Action((p, client, ct) => client.GetAsync($"api/erasure/subjects/{AdminApiClient.Segment(p.GetValue(hash)!)}/objects", ct));
        subjects.Subcommands.Add(objects);

        var oid = new Option<string[]>("--oid") { Description = "An object id holding the subject's data; repeatable.", Required = true };
        var tag = new Command("tag", "Record that objects hold a subject's data.") { subject, oid };
        tag.Action((p, client, ct) => client.PostAsync("api/erasure/subjects/tags", new { subject = p.GetValue(subject), oids = p.GetValue(oid) }, ct));
        subjects.Subcommands.Add(tag);

        var identifier = IdentifierOption();
        var identifiersFile = IdentifiersFileOption();
        var caseInsensitive = new Option<bool>("--case-insensitive") { Description = "Match ignoring ASCII letter case." };
        var scan = new Command("scan", "Content scan job: tag every stored object containing an identifier.") { subject, identifier, identifiersFile, caseInsensitive };
        scan.Action((p, client, ct) => client.PostAsync("api/erasure/subjects/scan", new
        {
            subject = p.GetValue(subject),
            identifiers = Identifiers(p, identifier, identifiersFile),
            caseInsensitive = p.GetValue(caseInsensitive),
        }, ct));
        subjects.Subcommands.Add(scan);
        return subjects;
    }

    private static Command Rules()
    {
        var rules = new Command("rule", "Path rules: where a repository keeps each subject's own files.");
        var repository = new Option<string>("--repo") { Description = "Repository (owner/name).", Required = true };
        var pattern = new Option<string>("--pattern") { Description = "Glob with one {subject}, e.g. data/customers/{subject}/**.", Required = true };
        var add = new Command("add", "Add a rule.") { repository, pattern };
        add.Action((p, client, ct) => client.PostAsync("api/erasure/path-rules", new { repository = p.GetValue(repository), pattern = p.GetValue(pattern) }, ct));
        rules.Subcommands.Add(add);

        var filter = new Option<string?>("--repo") { Description = "Only this repository's rules." };
        var list = new Command("list", "List rules.") { filter };
        list.Action((p, client, ct) => client.GetAsync("api/erasure/path-rules" + (p.GetValue(filter) is { } r ? "?repository=" + AdminApiClient.Segment(r) : string.Empty), ct));
        rules.Subcommands.Add(list);

        var id = new Argument<long>("id") { Description = "Rule id." };
        var delete = new Command("delete", "Delete a rule.") { id };
        delete.Action((p, client, ct) => client.DeleteAsync($"api/erasure/path-rules/{p.GetValue(id)}", ct));
        rules.Subcommands.Add(delete);
        return rules;
    }

    private static Command Receipts()
    {
        var receipts = new Command("receipt", "Signed erasure receipts.");
        var id = new Argument<string>("id") { Description = "Request id (er_…)." };
        var show = new Command("show", "Print a completed request's receipt (JSON; keep it as proof).") { id };
        show.Action((p, client, ct) => client.GetAsync($"api/erasure/receipts/{AdminApiClient.Segment(p.GetValue(id)!)}", ct), document: true);
        receipts.Subcommands.Add(show);

        var jws = new Command("jws", "Print the receipt as a compact JWS (for scripts/verify-erasure-receipt.sh or any JOSE library).") { id };
        jws.Action((p, client, ct) => client.GetAsync($"api/erasure/receipts/{AdminApiClient.Segment(p.GetValue(id)!)}/jws", ct));
        receipts.Subcommands.Add(jws);

        var file = new Argument<FileInfo>("file") { Description = "A receipt as printed by 'receipt show' (JSON) or 'receipt jws'." };
        var verify = new Command("verify", "Check a receipt's signature, that the server issued it, and the audit chain; exit 1 when it does not verify.") { file };
        verify.Action(async (p, client, ct) =>
        {
            JsonElement receipt;
            try
            {
                var text = (await File.ReadAllTextAsync(p.GetValue(file)!.FullName, ct)).Trim();
                // A compact JWS is sent as a JSON string; a JSON receipt as it is.
                using var document = JsonDocument.Parse(text.StartsWith('{') ? text : JsonSerializer.Serialize(text));
                receipt = document.RootElement.Clone();
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                return new ApiAnswer(400, JsonSerializer.Serialize(new { message = $"Cannot read the receipt: {e.Message}" }), "application/json");
            }
            var answer = await client.PostAsync("api/erasure/receipts/verify", receipt, ct);
            if (!answer.Succeeded)
            {
                return answer;
            }
            using var check = JsonDocument.Parse(answer.Body);
            return check.RootElement.GetProperty("valid").GetBoolean()
                ? answer
                : new ApiAnswer(422, JsonSerializer.Serialize(new { message = "The receipt does NOT verify: " + check.RootElement.GetProperty("problem").GetString() }), "application/json");
        });
        receipts.Subcommands.Add(verify);

        var key = new Command("public-key", "Print the server's receipt-signing public key (PEM).");
        key.Action((p, client, ct) => client.GetAsync("api/erasure/public-key", ct));
        receipts.Subcommands.Add(key);
        return receipts;
    }
}
