namespace StorageServer.Erasure.Matching;

/// <summary>Formats whose records can be redacted one by one.</summary>
public enum RecordFormat
{
    /// <summary>Comma-separated values, RFC 4180 quoting (quoted fields may span lines).</summary>
    Csv,

    /// <summary>Tab-separated values, with the same quoting rules.</summary>
    Tsv,

    /// <summary>One JSON value per line (<c>.jsonl</c>, <c>.ndjson</c>).</summary>
    JsonLines,
}

public static class RecordFormats
{
    /// <summary>The format a path's extension names, or null for a file that is not read as records.</summary>
    public static RecordFormat? FromPath(string path)
    {
        var extension = System.IO.Path.GetExtension(path);
        return extension.ToLowerInvariant() switch
        {
            ".csv" => RecordFormat.Csv,
            ".tsv" => RecordFormat.Tsv,
            ".jsonl" or ".ndjson" => RecordFormat.JsonLines,
            _ => null,
        };
    }
}
