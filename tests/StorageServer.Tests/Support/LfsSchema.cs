using System.Globalization;
using System.Text.Json;

namespace StorageServer.Tests.Support;

/// <summary>
/// Validates JSON against the official git-lfs schemas (copied in Schemas/, draft-04). No
/// draft-04 validator restores here, so this implements the keywords those schemas use:
/// type, properties, required, additionalProperties, items, $ref, minimum and maximum.
/// </summary>
public sealed class LfsSchema
{
    public static readonly LfsSchema BatchRequest = Load("http-batch-request-schema.json");
    public static readonly LfsSchema BatchResponse = Load("http-batch-response-schema.json");
    public static readonly LfsSchema LockCreateRequest = Load("http-lock-create-request-schema.json");
    public static readonly LfsSchema LockCreateResponse = Load("http-lock-create-response-schema.json");
    public static readonly LfsSchema LockList = Load("http-lock-list-response-schema.json");
    public static readonly LfsSchema LockVerify = Load("http-lock-verify-response-schema.json");

    private readonly JsonElement _root;

    private LfsSchema(JsonElement root) => _root = root;

    public static LfsSchema Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Schemas", fileName);
        return new LfsSchema(JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone());
    }

    /// <summary>Every violation, as JSON paths with reasons; empty when the instance is valid.</summary>
    public IReadOnlyList<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Validate(_root, instance, "$", errors);
        return errors;
    }

    public void AssertValid(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = Validate(document.RootElement);
        Assert.True(errors.Count == 0, $"Schema violations:\n{string.Join('\n', errors)}\nin {json}");
    }

    private void Validate(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            Validate(Resolve(reference.GetString()!), instance, path, errors);
            return;
        }
        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
        {
            errors.Add($"{path}: expected {type}, got {instance.ValueKind}");
            return;
        }
        if (instance.ValueKind == JsonValueKind.Number)
        {
            if (schema.TryGetProperty("minimum", out var min) && instance.GetDouble() < min.GetDouble())
            {
                errors.Add($"{path}: {instance} < minimum {min}");
            }
            if (schema.TryGetProperty("maximum", out var max) && instance.GetDouble() > max.GetDouble())
            {
                errors.Add($"{path}: {instance} > maximum {max}");
            }
        }
        if (instance.ValueKind == JsonValueKind.Object)
        {
            ValidateObject(schema, instance, path, errors);
        }
        if (instance.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var index = 0;
            foreach (var item in instance.EnumerateArray())
            {
                Validate(items, item, $"{path}[{index++}]", errors);
            }
        }
    }

    private void ValidateObject(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        schema.TryGetProperty("properties", out var properties);
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
            {
                if (!instance.TryGetProperty(name, out _))
                {
                    errors.Add($"{path}: missing required '{name}'");
                }
            }
        }
        foreach (var property in instance.EnumerateObject())
        {
            var childPath = $"{path}.{property.Name}";
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                Validate(propertySchema, property.Value, childPath, errors);
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                if (additional.ValueKind == JsonValueKind.False)
                {
                    errors.Add($"{childPath}: additional property not allowed");
                }
                else if (additional.ValueKind == JsonValueKind.Object)
                {
                    Validate(additional, property.Value, childPath, errors);
                }
            }
        }
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"Only local $ref is supported: {reference}");
        }
        var node = _root;
        foreach (var segment in reference[2..].Split('/'))
        {
            node = node.GetProperty(segment);
        }
        return node;
    }

    private static bool MatchesType(JsonElement type, JsonElement instance) =>
        type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Any(t => MatchesType(t, instance))
            : type.GetString() switch
            {
                "object" => instance.ValueKind == JsonValueKind.Object,
                "array" => instance.ValueKind == JsonValueKind.Array,
                "string" => instance.ValueKind == JsonValueKind.String,
                "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
                "null" => instance.ValueKind == JsonValueKind.Null,
                "number" => instance.ValueKind == JsonValueKind.Number,
                "integer" => instance.ValueKind == JsonValueKind.Number
                    && decimal.TryParse(instance.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && decimal.Truncate(d) == d,
                var other => throw new NotSupportedException($"Schema type '{other}'"),
            };
}
