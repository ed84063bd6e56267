using StorageServer.Erasure;

namespace StorageServer.Tests.Erasure;

public sealed class SubjectPathPatternTests
{
    [Theory]
    [InlineData("data/customers/{subject}/**", "data/customers/c1042/profile.json", "c1042")]
    [InlineData("data/customers/{subject}/**", "data/customers/c1042/deep/er/file.bin", "c1042")]
    [InlineData("speakers/{subject}/*.wav", "speakers/jane_doe/take1.wav", "jane_doe")]
    [InlineData("**/{subject}/avatar.png", "any/where/c77/avatar.png", "c77")]
    [InlineData("**/customers/{subject}/*", "x/y/customers/c9/a.csv", "c9")]
    public void Matching_paths_yield_the_subject_segment(string pattern, string path, string subject)
    {
        Assert.True(SubjectPathPattern.TryParse(pattern, out var parsed, out _));
        Assert.True(parsed.TryMatch(path, out var found));
        Assert.Equal(subject, found);
    }

    [Theory]
    [InlineData("data/customers/{subject}/**", "archive/data/customers/c1/a.bin")]
    [InlineData("data/customers/{subject}/**", "data/customers/c1")]
    [InlineData("speakers/{subject}/*.wav", "speakers/a/b/c.wav")]
    [InlineData("data/customers/{subject}/**", "data/customers-c1/x/a.bin")]
    [InlineData("**/customers/{subject}/*", "customers/c9/sub/a.csv")]
    public void Other_paths_do_not_match(string pattern, string path)
    {
        Assert.True(SubjectPathPattern.TryParse(pattern, out var parsed, out _));
        Assert.False(parsed.TryMatch(path, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("data/customers/**")]
    [InlineData("{subject}/{subject}")]
    [InlineData("/abs/{subject}")]
    [InlineData("a//{subject}")]
    [InlineData("speakers/{subject}.wav")]
    [InlineData("people/c{subject}/*")]
    [InlineData("{subject}.avatar.png")]
    public void Bad_patterns_are_refused_with_a_reason(string pattern)
    {
        Assert.False(SubjectPathPattern.TryParse(pattern, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }
}
