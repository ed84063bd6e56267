using System.Text.Json;

namespace StorageServer.Tests.Support;

/// <summary>The validator itself must be able to fail, or schema checks elsewhere prove nothing.</summary>
public sealed class LfsSchemaTests
{
    [Fact]
    public void Accepts_a_valid_batch_response()
    {
        LfsSchema.BatchResponse.AssertValid("""{"transfer":"basic","objects":[{"oid":"a","size":1,"actions":{"download":{"href":"http://x","expires_in":60}}}]}""");
    }

    [Theory]
    [InlineData("""{"transfer":"basic"}""", "PropertyRequired (objects)")]
    [InlineData("""{"objects":[{"oid":"a","size":-1}]}""", "NumberTooSmall (size)")]
    [InlineData("""{"objects":[{"oid":"a","size":1,"actions":{"download":{"href":"h","extra":1}}}]}""", "NoAdditionalPropertiesAllowed (extra)")]
    [InlineData("""{"objects":[{"oid":"a","size":"1"}]}""", "NumberExpected (size)")]
    [InlineData("""{"objects":[{"oid":"a","size":1,"actions":{"download":{}}}]}""", "PropertyRequired (href)")]
    public void Reports_violations(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        var errors = LfsSchema.BatchResponse.Validate(document.RootElement);
        Assert.True(errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"{expected} not in: {string.Join("; ", errors)}");
    }

    [Fact]
    public void Lock_verify_schema_requires_both_lists()
    {
        using var document = JsonDocument.Parse("""{"ours":[]}""");
        Assert.Contains(LfsSchema.LockVerify.Validate(document.RootElement), e => e.Contains("PropertyRequired (theirs)", StringComparison.Ordinal));
    }
}
