using System.Text.Json.Serialization;

namespace StorageServer.Lfs.Resumable;

/// <summary>Serialiser of the <c>.json</c> file beside each partial upload.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(PartialUpload))]
internal sealed partial class PartialUploadJson : JsonSerializerContext;
