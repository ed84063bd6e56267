using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using StorageServer.Data.Entities;
using StorageServer.Dvc.Manifests;
using StorageServer.Dvc.Objects;

namespace StorageServer.Dvc;

internal sealed class DvcObjectConfiguration : IEntityTypeConfiguration<DvcObject>
{
    public void Configure(EntityTypeBuilder<DvcObject> builder)
    {
        builder.ToTable("dvc_objects");
        builder.HasKey(o => new { o.RepositoryId, o.Legacy, o.Hash });
        builder.Property(o => o.Hash).HasMaxLength(36);
        builder.Property(o => o.Oid).HasMaxLength(64);
        builder.Property(o => o.UploadedBy).HasMaxLength(200);
        builder.HasIndex(o => o.Oid);
        builder.HasOne<Repository>().WithMany().HasForeignKey(o => o.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DvcManifestEntryConfiguration : IEntityTypeConfiguration<DvcManifestEntry>
{
    public void Configure(EntityTypeBuilder<DvcManifestEntry> builder)
    {
        builder.ToTable("dvc_manifest_entries");
        builder.HasKey(e => new { e.ManifestOid, e.Relpath });
        builder.Property(e => e.ManifestOid).HasMaxLength(64);
        builder.Property(e => e.Md5).HasMaxLength(32);
        builder.HasIndex(e => e.Md5);
    }
}
