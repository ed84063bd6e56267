using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Validation;

namespace StorageServer.Tests.Support;

/// <summary>
/// Validates JSON against the official git-lfs schemas (copied in Schemas/, draft-04) with
/// NJsonSchema, which reads draft-04.
/// </summary>
public sealed class LfsSchema
{
    public static readonly LfsSchema BatchRequest = Load("http-batch-request-schema.json");
    public static readonly LfsSchema BatchResponse = Load("http-batch-response-schema.json");
    public static readonly LfsSchema LockCreateRequest = Load("http-lock-create-request-schema.json");
    public static readonly LfsSchema LockCreateResponse = Load("http-lock-create-response-schema.json");
    public static readonly LfsSchema LockList = Load("http-lock-list-response-schema.json");
    public static readonly LfsSchema LockVerify = Load("http-lock-verify-response-schema.json");

    private readonly JsonSchema _schema;

    private LfsSchema(JsonSchema schema) => _schema = schema;

    public static LfsSchema Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", fileName);
        // Loaded once per schema, in a static initialiser (no synchronization context in tests).
        return new LfsSchema(JsonSchema.FromFileAsync(path).GetAwaiter().GetResult());
    }

    /// <summary>Every violation as "path: kind (property)"; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance) =>
        Flatten(_schema.Validate(instance.GetRawText())).Select(e => $"{e.Path}: {e.Kind} ({e.Property})").ToList();

    // An array item or $ref that fails is one error whose causes are nested under it; list the causes.
    private static IEnumerable<ValidationError> Flatten(IEnumerable<ValidationError> errors) =>
        errors.SelectMany(e => e is ChildSchemaValidationError child
            ? child.Errors.Values.SelectMany(Flatten).DefaultIfEmpty(e)
            : [e]);

    public void AssertValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = Validate(document.RootElement);
        Assert.True(errors.Count == 0, $"Schema violations:\n{string.Join('\n', errors)}\nin {json}");
    }
}
