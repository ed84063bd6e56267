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

internal sealed class DvcOutputRefConfiguration : IEntityTypeConfiguration<Indexing.DvcOutputRef>
{
    public void Configure(EntityTypeBuilder<Indexing.DvcOutputRef> builder)
    {
        builder.ToTable("dvc_outputs");
        builder.HasKey(o => new { o.RepositoryId, o.CommitSha, o.Path });
        builder.Property(o => o.CommitSha).HasMaxLength(64);
        builder.Property(o => o.Hash).HasMaxLength(36);
        builder.HasIndex(o => new { o.RepositoryId, o.Legacy, o.Hash });
        builder.HasOne<Repository>().WithMany().HasForeignKey(o => o.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DvcRepositorySettingsConfiguration : IEntityTypeConfiguration<Settings.DvcRepositorySettings>
{
    public void Configure(EntityTypeBuilder<Settings.DvcRepositorySettings> builder)
    {
        builder.ToTable("dvc_repository_settings");
        builder.HasIndex(s => s.RepositoryId).IsUnique();
        builder.Property(s => s.PushCheck).HasConversion<string>().HasMaxLength(16);
        builder.Property(s => s.UpdatedBy).HasMaxLength(200);
        builder.HasOne<Repository>().WithMany().HasForeignKey(s => s.RepositoryId).OnDelete(DeleteBehavior.Cascade);
    }
}
