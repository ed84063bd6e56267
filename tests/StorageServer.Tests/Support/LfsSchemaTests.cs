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
    [InlineData("""{"transfer":"basic"}""", "missing required 'objects'")]
    [InlineData("""{"objects":[{"oid":"a","size":-1}]}""", "minimum")]
    [InlineData("""{"objects":[{"oid":"a","size":1,"actions":{"download":{"href":"h","extra":1}}}]}""", "additional property not allowed")]
    [InlineData("""{"objects":[{"oid":"a","size":"1"}]}""", "expected")]
    [InlineData("""{"objects":[{"oid":"a","size":1,"actions":{"download":{}}}]}""", "missing required 'href'")]
    public void Reports_violations(string json, string expected)
    {
        using var document = JsonDocument.Parse(json);
        var errors = LfsSchema.BatchResponse.Validate(document.RootElement);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Lock_verify_schema_requires_both_lists()
    {
        using var document = JsonDocument.Parse("""{"ours":[]}""");
        Assert.Contains(LfsSchema.LockVerify.Validate(document.RootElement), e => e.Contains("theirs", StringComparison.Ordinal));
    }
}
