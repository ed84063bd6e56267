using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using StorageServer.Tests.Lfs;

namespace StorageServer.Tests.Erasure;

/// <summary>Record offsets are offsets in the stored bytes: a file the CSV reader would transcode is never redacted by record.</summary>
public sealed class ErasureEncodingTests
{
    [Fact]
    public async Task A_utf16_csv_is_not_redacted_with_offsets_of_its_transcoded_text()
    {
        await using var lfs = await LfsTestContext.CreateAsync();
        using var admin = lfs.Factory.CreateAdminClient();
        var csv = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id,name\nc2000,Bob\nc1042,Alice\n")).ToArray();
        var oid = Convert.ToHexStringLower(SHA256.HashData(csv));
        await lfs.UploadAsync(csv, oid);
        await ErasureApi.IndexPointerAsync(lfs, LfsTestContext.Repo, new string('4', 40), "people.csv", oid, csv.Length);

        var id = await ErasureApi.CreateRequestAsync(admin, new { subject = "c1042", legalBasis = "Art. 17", identifiers = new[] { "c1042" } });
        await ErasureApi.WaitForStateAsync(admin, id, "previewed");
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/erasure/requests/{id}/preview");
        Assert.Equal(0, preview.GetProperty("summary").GetProperty("redact").GetInt32());
    }
}
