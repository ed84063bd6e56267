using System.ComponentModel.DataAnnotations;

namespace StorageServer.Erasure;

/// <summary>
/// Erasure keys. Section <c>Erasure</c>. Every node of a cluster must use the same keys: subjects,
/// oids and paths are recorded as keyed hashes (tombstones among them), so a node with another
/// key would not recognise an erased object; receipts must verify against one public key. When a
/// key is unset (a single node) it is generated into the data directory on first start.
/// </summary>
public sealed class ErasureOptions
{
    public const string Section = "Erasure";

    /// <summary>Base64 HMAC key (≥ 32 bytes) for subject, oid and path hashes; default <c>&lt;data-dir&gt;/erasure-key</c>.</summary>
    public string? SubjectKey { get; set; }

    /// <summary>
    /// The ECDSA P-256 key signing receipts, PKCS#8 as PEM or as one line of base64 DER
    /// (<c>openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0</c>;
    /// genpkey's own <c>-outform DER</c> writes SEC1, not PKCS#8);
    /// default <c>&lt;data-dir&gt;/erasure-receipt-key.pem</c>.
    /// </summary>
    public string? ReceiptSigningKey { get; set; }

    /// <summary>Four eyes: an erasure needs the approval of a second admin, different from the first, before anything changes.</summary>
    public bool RequireSecondApprover { get; set; }

    /// <summary>
    /// A preview that removes more than this share of any file's records (0–1) is flagged, and its
    /// approval must acknowledge the flags explicitly. A redaction that would remove every record is always flagged.
    /// </summary>
    [Range(0.0, 1.0)]
    public double FlagRecordShare { get; set; } = 0.25;
}
