namespace StorageServer.Erasure.Preview;

/// <summary>A removed record as the preview shows it: where it is and which identifier matched, its content only as a keyed hash.</summary>
/// <param name="Record">1-based number among the file's records.</param>
/// <param name="Line">1-based line the record starts on.</param>
/// <param name="Field">The field that matched: <c>column N</c> (CSV/TSV), the JSON property (<c>*</c> when the name is itself an identifier), or <c>line</c>.</param>
/// <param name="Identifier">1-based position of the matching identifier in the list the request gave.</param>
/// <param name="RecordHash">HMAC-SHA256 of <c>record:</c> and the record's bytes (see README).</param>
public sealed record RecordExample(int Record, long Line, string Field, int Identifier, string RecordHash);
