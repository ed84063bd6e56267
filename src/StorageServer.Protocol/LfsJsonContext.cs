using System.Text.Json.Serialization;
using StorageServer.Protocol.Batch;
using StorageServer.Protocol.Locks;

namespace StorageServer.Protocol;

/// <summary>
/// Source-generated serialisers for every Git LFS message, with the protocol's snake_case names
/// and no nulls on the wire (the schemas forbid unknown keys and null where a key is optional).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(VerifyRequest))]
[JsonSerializable(typeof(LfsErrorResponse))]
[JsonSerializable(typeof(CreateLockRequest))]
[JsonSerializable(typeof(LockResponse))]
[JsonSerializable(typeof(LockListResponse))]
[JsonSerializable(typeof(VerifyLocksRequest))]
[JsonSerializable(typeof(VerifyLocksResponse))]
[JsonSerializable(typeof(UnlockRequest))]
public sealed partial class LfsJsonContext : JsonSerializerContext;
